import {
  type ArticleEvent,
  articleEventDefinitions,
  type PublishedArticleChange,
  type PublishedArticleRow,
  publishedArticlesProjector,
  publishingEvents,
} from '@strata/domain';
import { eq, inArray, sql } from 'drizzle-orm';
import type { StrataDb } from '../../connection.ts';
import {
  type ArticleFeedTable,
  type ArticleSearchTable,
  type ArticleSitemapTable,
  articleFeedTable,
  articleSearchTable,
  articleSitemapTable,
} from '../../schema/publishing.ts';
import type { StoredEvent } from '../../store/types.ts';
import { defineProjection, projectedEventContext } from '../projection.ts';

/*
 * The public side of publishing: search, the RSS feed and the sitemap are each their own async
 * projection of the same article events, with their own table and checkpoint, so each can lag,
 * fail or be rebuilt without the others (the news-publisher shape) and none of them slows the
 * editor's save: the text-search document of a 100 KB body is computed after the commit, not in
 * it. Only `ArticlePublished` brings a row in and `ArticleUnpublished` takes it out; an edit
 * changes a row only if it is there, so a draft never shows. Readers pass `minPosition` (tRPC) to
 * read their own writes.
 */

export type PublishedFate =
  | { kind: 'upsert'; row: PublishedArticleRow }
  /** Changes to a row stored before this batch, if it is there. */
  | { kind: 'patch'; set: Extract<PublishedArticleChange, { kind: 'update' }>['set'] }
  | { kind: 'delete' };

/** Where a batch leaves each article it touched: one write per article, whatever the events. */
export function foldPublishedArticles(events: readonly StoredEvent[]): Map<string, PublishedFate> {
  const fates = new Map<string, PublishedFate>();
  for (const stored of events) {
    const event = publishingEvents.decode(stored) as ArticleEvent;
    for (const change of publishedArticlesProjector(event, projectedEventContext(stored))) {
      if (change.kind === 'upsert') {
        fates.set(change.row.articleId, { kind: 'upsert', row: change.row });
      } else if (change.kind === 'delete') {
        fates.set(change.articleId, { kind: 'delete' });
      } else {
        const fate = fates.get(change.articleId);
        if (!fate) fates.set(change.articleId, { kind: 'patch', set: change.set });
        else if (fate.kind === 'upsert') fate.row = { ...fate.row, ...change.set };
        else if (fate.kind === 'patch') fate.set = { ...fate.set, ...change.set };
      }
    }
  }
  return fates;
}

interface PublicWrites<Row> {
  upsert(rows: Row[]): Promise<unknown>;
  patch(articleId: string, set: Partial<Row> & { updatedAt: Date }): Promise<unknown>;
  remove(articleIds: string[]): Promise<unknown>;
}

/** Applies a batch through a table's three writes, each column set cut down to what it keeps. */
async function writePublished<Row>(
  events: readonly StoredEvent[],
  toRow: (row: PublishedArticleRow) => Row,
  toSet: (set: Extract<PublishedFate, { kind: 'patch' }>['set']) => Partial<Row> & { updatedAt: Date },
  writes: PublicWrites<Row>,
) {
  const fates = foldPublishedArticles(events);
  const upserts: Row[] = [];
  const removed: string[] = [];
  for (const [articleId, fate] of fates) {
    if (fate.kind === 'upsert') upserts.push(toRow(fate.row));
    else if (fate.kind === 'delete') removed.push(articleId);
    else await writes.patch(articleId, toSet(fate.set));
  }
  if (removed.length > 0) await writes.remove(removed);
  if (upserts.length > 0) await writes.upsert(upserts);
}

const definedOnly = <T extends Record<string, unknown>>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const articleEventTypes = articleEventDefinitions.map((d) => d.type);

/** Full-text search over published articles (a generated, weighted tsvector; see the schema). */
export const articleSearchProjection = defineProjection<{ search: ArticleSearchTable }>({
  name: 'article_search',
  mode: 'async',
  eventTypes: articleEventTypes,
  tables: (suffix) => ({ search: articleSearchTable(`article_search${suffix}`) }),
  tableNames: ['article_search'],
  apply: (tx: StrataDb, events, { search }) =>
    writePublished(events, (row) => row, definedOnly, {
      upsert: (rows) =>
        tx
          .insert(search)
          .values(rows)
          .onConflictDoUpdate({
            target: search.articleId,
            set: {
              slug: sql`excluded.slug`,
              title: sql`excluded.title`,
              body: sql`excluded.body`,
              publishedAt: sql`excluded.published_at`,
              updatedAt: sql`excluded.updated_at`,
            },
          }),
      patch: (articleId, set) => tx.update(search).set(set).where(eq(search.articleId, articleId)),
      remove: (ids) => tx.delete(search).where(inArray(search.articleId, ids)),
    }),
});

/** What `GET /feed.xml` reads. */
export const articleFeedProjection = defineProjection<{ feed: ArticleFeedTable }>({
  name: 'article_feed',
  mode: 'async',
  eventTypes: articleEventTypes,
  tables: (suffix) => ({ feed: articleFeedTable(`article_feed${suffix}`) }),
  tableNames: ['article_feed'],
  apply: (tx: StrataDb, events, { feed }) =>
    writePublished(events, (row) => row, definedOnly, {
      upsert: (rows) =>
        tx
          .insert(feed)
          .values(rows)
          .onConflictDoUpdate({
            target: feed.articleId,
            set: {
              slug: sql`excluded.slug`,
              title: sql`excluded.title`,
              body: sql`excluded.body`,
              publishedAt: sql`excluded.published_at`,
              updatedAt: sql`excluded.updated_at`,
            },
          }),
      patch: (articleId, set) => tx.update(feed).set(set).where(eq(feed.articleId, articleId)),
      remove: (ids) => tx.delete(feed).where(inArray(feed.articleId, ids)),
    }),
});

/** What `GET /sitemap.xml` reads: a URL and a last change per published article. */
export const articleSitemapProjection = defineProjection<{ sitemap: ArticleSitemapTable }>({
  name: 'article_sitemap',
  mode: 'async',
  eventTypes: articleEventTypes,
  tables: (suffix) => ({ sitemap: articleSitemapTable(`article_sitemap${suffix}`) }),
  tableNames: ['article_sitemap'],
  apply: (tx: StrataDb, events, { sitemap }) =>
    writePublished(
      events,
      ({ articleId, slug, publishedAt, updatedAt }) => ({ articleId, slug, publishedAt, updatedAt }),
      // Any edit of a published article is a change a crawler should see in `lastmod`.
      ({ slug, updatedAt }) => definedOnly({ slug, updatedAt }),
      {
        upsert: (rows) =>
          tx
            .insert(sitemap)
            .values(rows)
            .onConflictDoUpdate({
              target: sitemap.articleId,
              set: {
                slug: sql`excluded.slug`,
                publishedAt: sql`excluded.published_at`,
                updatedAt: sql`excluded.updated_at`,
              },
            }),
        patch: (articleId, set) => tx.update(sitemap).set(set).where(eq(sitemap.articleId, articleId)),
        remove: (ids) => tx.delete(sitemap).where(inArray(sitemap.articleId, ids)),
      },
    ),
});
