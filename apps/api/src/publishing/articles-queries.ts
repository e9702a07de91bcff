import { articles, type StrataDb } from '@strata/db';
import type { ArticleStatus } from '@strata/domain';
import { and, desc, eq, ilike, lt, or, type SQL } from 'drizzle-orm';
import { cursorPart, decodeCursor, encodeCursor, pageOf } from '../read-models/list-cursor.ts';

export interface ListArticlesQuery {
  status?: ArticleStatus | undefined;
  search?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/**
 * The admin's list, newest first by (created_at, article_id), which edits never change. Bodies
 * stay out of the list (up to 100 KB each); `articles.byId` has them.
 */
export async function listArticles(db: StrataDb, query: ListArticlesQuery) {
  const conditions: SQL[] = [];
  if (query.status) conditions.push(eq(articles.status, query.status));
  if (query.search) {
    const pattern = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(articles.title, pattern), ilike(articles.slug, pattern)) as SQL);
  }
  const after = decodeCursor(query.cursor, cursorPart.epochMs, cursorPart.key);
  if (after) {
    const [createdAt, articleId] = after;
    conditions.push(
      or(
        lt(articles.createdAt, createdAt),
        and(eq(articles.createdAt, createdAt), lt(articles.articleId, articleId)),
      ) as SQL,
    );
  }
  const rows = await db
    .select({
      articleId: articles.articleId,
      slug: articles.slug,
      title: articles.title,
      status: articles.status,
      publishedAt: articles.publishedAt,
      version: articles.version,
      createdAt: articles.createdAt,
      updatedAt: articles.updatedAt,
    })
    .from(articles)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(articles.createdAt), desc(articles.articleId))
    .limit(query.limit + 1);
  return pageOf(rows, query.limit, (row) => encodeCursor(row.createdAt.getTime(), row.articleId));
}

export async function findArticleById(db: StrataDb, articleId: string) {
  const [row] = await db.select().from(articles).where(eq(articles.articleId, articleId));
  return row ?? null;
}
