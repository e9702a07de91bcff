import type { PublishedArticleRow } from './projector.ts';

/** What a feed or sitemap needs of an article. */
export type FeedArticle = Pick<PublishedArticleRow, 'slug' | 'title' | 'body' | 'publishedAt' | 'updatedAt'>;

export interface FeedSite {
  /** e.g. `https://news.example.com`; a trailing slash is ignored. */
  siteUrl: string;
  /** Where an article lives; `<siteUrl>/articles/<slug>` unless given. */
  articleUrl?: (slug: string, siteUrl: string) => string;
}

/** Characters XML 1.0 cannot carry at all, even escaped (most control characters, lone surrogates). */
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text fit for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(notXmlChar, '').replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

const baseOf = (siteUrl: string) => siteUrl.replace(/\/+$/, '');
const urlOf = (site: FeedSite, slug: string) =>
  site.articleUrl ? site.articleUrl(slug, baseOf(site.siteUrl)) : `${baseOf(site.siteUrl)}/articles/${slug}`;

function newestFirst(articles: readonly FeedArticle[], by: 'publishedAt' | 'updatedAt'): FeedArticle[] {
  // Ties fall back to the slug so the same rows always render the same bytes (ETags stay stable).
  return [...articles].sort((a, b) => b[by].getTime() - a[by].getTime() || a.slug.localeCompare(b.slug));
}

/** Whitespace collapsed, cut at a word boundary near `max` characters. */
export function excerpt(body: string, max = 280): string {
  const text = body.replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

export const rssItemLimit = 20;

/** RSS 2.0 of the latest published articles, newest first. Pure: the caller passes the rows. */
export function renderRssFeed(
  options: FeedSite & { title: string; description?: string; articles: readonly FeedArticle[]; limit?: number },
): string {
  const base = baseOf(options.siteUrl);
  const latest = newestFirst(options.articles, 'publishedAt').slice(0, options.limit ?? rssItemLimit);
  const newest = latest[0];
  const items = latest.map((article) => {
    const link = escapeXml(urlOf(options, article.slug));
    return [
      '    <item>',
      `      <title>${escapeXml(article.title)}</title>`,
      `      <link>${link}</link>`,
      `      <guid isPermaLink="true">${link}</guid>`,
      `      <pubDate>${article.publishedAt.toUTCString()}</pubDate>`,
      `      <description>${escapeXml(excerpt(article.body))}</description>`,
      '    </item>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title>${escapeXml(options.title)}</title>`,
    `    <link>${escapeXml(`${base}/`)}</link>`,
    `    <description>${escapeXml(options.description ?? options.title)}</description>`,
    `    <atom:link href="${escapeXml(`${base}/feed.xml`)}" rel="self" type="application/rss+xml"/>`,
    ...(newest ? [`    <lastBuildDate>${newest.publishedAt.toUTCString()}</lastBuildDate>`] : []),
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

/** The sitemaps.org limit per file. */
export const sitemapUrlLimit = 50_000;

/**
 * A sitemaps.org urlset: the home page, then every published article with its last change. The
 * home page is always there because a urlset must hold at least one url.
 */
export function renderSitemap(options: FeedSite & { articles: readonly FeedArticle[] }): string {
  const base = baseOf(options.siteUrl);
  const articles = newestFirst(options.articles, 'updatedAt').slice(0, sitemapUrlLimit - 1);
  const url = (loc: string, lastmod: Date | undefined) =>
    [
      '  <url>',
      `    <loc>${escapeXml(loc)}</loc>`,
      ...(lastmod ? [`    <lastmod>${lastmod.toISOString()}</lastmod>`] : []),
      '  </url>',
    ].join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    url(`${base}/`, articles[0]?.updatedAt),
    ...articles.map((article) => url(urlOf(options, article.slug), article.updatedAt)),
    '</urlset>',
    '',
  ].join('\n');
}
