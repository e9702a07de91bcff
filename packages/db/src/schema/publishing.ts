import { type SQL, sql } from 'drizzle-orm';
import { customType, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** PostgreSQL's text-search document. Read only through SQL (ranking, matching); never selected as is. */
export const tsvector = customType<{ data: string; driverData: string }>({
  dataType: () => 'tsvector',
});

/** The search configuration of every publishing text-search expression (column and queries alike). */
export const articleSearchConfig = 'english';

/**
 * Title words weigh A and body words B, so `ts_rank` scores a title match above the same word in
 * the body. Written against the column names so the copies a rebuild makes compute it the same way.
 */
const articleDocument: SQL = sql.raw(
  `setweight(to_tsvector('${articleSearchConfig}'::regconfig, coalesce("title", '')), 'A') || ` +
    `setweight(to_tsvector('${articleSearchConfig}'::regconfig, coalesce("body", '')), 'B')`,
);

/** The admin's article list: every article, drafts included. */
export function articlesTable(name = 'articles') {
  return pgTable(
    name,
    {
      articleId: text('article_id').primaryKey(),
      slug: text('slug').notNull(),
      title: text('title').notNull(),
      body: text('body').notNull(),
      status: text('status', { enum: ['draft', 'published'] }).notNull(),
      publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
      version: integer('version').notNull(),
      createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
      updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
    },
    (t) => [
      index(`${name}_created_idx`).on(t.createdAt, t.articleId),
      index(`${name}_status_idx`).on(t.status, t.createdAt),
      index(`${name}_slug_idx`).on(t.slug),
    ],
  );
}
export const articles = articlesTable();
export type ArticlesTable = ReturnType<typeof articlesTable>;

/**
 * The columns of a published article that search, the feed and the sitemap keep, so the three
 * tables (and the projection that writes them) agree. Made fresh for each table.
 */
function publishedArticleColumns() {
  return {
    articleId: text('article_id').primaryKey(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  };
}

/**
 * Published articles with their text-search document: a stored generated column, so PostgreSQL
 * keeps it in step with title and body, and a GIN index over it. Slugs are indexed, not unique:
 * an async batch may move a slug from one article to another, row by row.
 */
export function articleSearchTable(name = 'article_search') {
  return pgTable(
    name,
    {
      ...publishedArticleColumns(),
      document: tsvector('document')
        .notNull()
        .generatedAlwaysAs(() => articleDocument),
    },
    (t) => [index(`${name}_document_idx`).using('gin', t.document), index(`${name}_slug_idx`).on(t.slug)],
  );
}
export const articleSearch = articleSearchTable();
export type ArticleSearchTable = ReturnType<typeof articleSearchTable>;

/** What the RSS feed reads: published articles, newest first. */
export function articleFeedTable(name = 'article_feed') {
  return pgTable(name, publishedArticleColumns(), (t) => [index(`${name}_published_idx`).on(t.publishedAt, t.slug)]);
}
export const articleFeed = articleFeedTable();
export type ArticleFeedTable = ReturnType<typeof articleFeedTable>;

/** What the sitemap reads: where each published article lives and when it last changed. */
export function articleSitemapTable(name = 'article_sitemap') {
  // No text: a sitemap lists where articles are, not what they say.
  const { title: _title, body: _body, ...columns } = publishedArticleColumns();
  return pgTable(name, columns, (t) => [index(`${name}_updated_idx`).on(t.updatedAt, t.slug)]);
}
export const articleSitemap = articleSitemapTable();
export type ArticleSitemapTable = ReturnType<typeof articleSitemapTable>;
