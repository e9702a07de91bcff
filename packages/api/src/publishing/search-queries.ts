import { articleSearch, articleSearchConfig, eq, queryRows, type StrataDb, sql } from '@strata/db';

/** A piece of a highlighted snippet: render `match` pieces highlighted, everything as text. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

export interface ArticleSearchHit {
  articleId: string;
  slug: string;
  title: string;
  publishedAt: Date;
  /** Higher is better; hits are already in order. */
  rank: number;
  /** Whether a searched word is in the title (such hits come first). */
  titleMatch: boolean;
  /** The title and the best passages of the body, with the matched words marked. */
  titleParts: SnippetPart[];
  snippet: SnippetPart[];
  /** The same snippet as HTML-escaped text with `<mark>` around matches, ready for innerHTML. */
  snippetHtml: string;
}

// Control characters cannot be typed into a title or a body worth searching, so they mark
// matches without being mistaken for text, and nothing the author wrote is ever parsed as HTML.
const startSel = '\u0002';
const stopSel = '\u0003';
const headlineOptions = (extra: string) => `StartSel=${startSel}, StopSel=${stopSel}, ${extra}`;

export function snippetParts(headline: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const [i, piece] of headline.split(new RegExp(`[${startSel}${stopSel}]`)).entries()) {
    if (piece) parts.push({ text: piece, match: i % 2 === 1 });
  }
  return parts;
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c);
export const partsToHtml = (parts: SnippetPart[]) =>
  parts.map((p) => (p.match ? `<mark>${escapeHtml(p.text)}</mark>` : escapeHtml(p.text))).join('');

/**
 * Full-text search over published articles: `websearch_to_tsquery` syntax ("quoted phrases",
 * `or`, `-excluded`), matched against the weighted document (title A, body B) through its GIN
 * index. Articles with a searched word in the title come first, then by `ts_rank`, newest first
 * on ties; each hit carries `ts_headline` snippets.
 */
export async function searchArticles(db: StrataDb, query: { q: string; limit: number }): Promise<ArticleSearchHit[]> {
  const config = sql.raw(`'${articleSearchConfig}'::regconfig`);
  const tsquery = sql`websearch_to_tsquery(${config}, ${query.q})`;
  const rows = await queryRows<{
    article_id: string;
    slug: string;
    title: string;
    published_at: Date | string;
    rank: number | string;
    title_rank: number | string;
    title_headline: string;
    body_headline: string;
  }>(
    db,
    sql`with hits as (
          select s.article_id, s.slug, s.title, s.body, s.published_at,
                 ts_rank(s.document, q.query) as rank,
                 ts_rank('{0, 0, 0, 1}', s.document, q.query) as title_rank,
                 q.query
            from ${articleSearch} s, (select ${tsquery} as query) q
           where s.document @@ q.query
           order by (ts_rank('{0, 0, 0, 1}', s.document, q.query) > 0) desc, rank desc, s.published_at desc, s.article_id
           limit ${query.limit}
        )
        select article_id, slug, title, published_at, rank, title_rank,
               ts_headline(${config}, title, query, ${headlineOptions('HighlightAll=true')}) as title_headline,
               ts_headline(${config}, body, query,
                 ${headlineOptions('MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=" … "')}) as body_headline
          from hits
         order by (title_rank > 0) desc, rank desc, published_at desc, article_id`,
  );
  return rows.map((row) => {
    const snippet = snippetParts(row.body_headline);
    return {
      articleId: row.article_id,
      slug: row.slug,
      title: row.title,
      publishedAt: row.published_at instanceof Date ? row.published_at : new Date(row.published_at),
      rank: Number(row.rank),
      titleMatch: Number(row.title_rank) > 0,
      titleParts: snippetParts(row.title_headline),
      snippet,
      snippetHtml: partsToHtml(snippet),
    };
  });
}

/** A published article by its slug (the public view), or null. */
export async function findPublishedBySlug(db: StrataDb, slug: string) {
  const [row] = await db
    .select({
      articleId: articleSearch.articleId,
      slug: articleSearch.slug,
      title: articleSearch.title,
      body: articleSearch.body,
      publishedAt: articleSearch.publishedAt,
      updatedAt: articleSearch.updatedAt,
    })
    .from(articleSearch)
    .where(eq(articleSearch.slug, slug))
    .limit(1);
  return row ?? null;
}
