import {
  type ArticleEvent,
  articleEventDefinitions,
  type PublishedArticleChange,
  type PublishedArticleRow,
  publishedArticlesProjector,
  publishingEvents,
} from '@strata/domain';
import { type Column, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
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

type PublicArticlesTable = ArticleSearchTable | ArticleFeedTable | ArticleSitemapTable;

const publishedFields: readonly (keyof PublishedArticleRow)[] = [
  'articleId',
  'slug',
  'title',
  'body',
  'publishedAt',
  'updatedAt',
];

const articleEventTypes = articleEventDefinitions.map((d) => d.type);

/**
 * One public read model of published articles: an async projection with one table named after
 * it, which keeps each published article's fields it has a column for, so its schema alone says
 * what it holds. A batch costs one delete, one upsert and an update per article only edited; an
 * edit writes the kept fields it changed, and always `updatedAt`.
 */
function publicArticlesProjection<Key extends string, Table extends PublicArticlesTable>(spec: {
  name: string;
  /** What the table is called among the projection's tables. */
  key: Key;
  table: (name: string) => Table;
}) {
  const { name, key, table } = spec;
  const columns: Record<string, Column> = getTableColumns(table(name));
  const fields = publishedFields.filter((f) => f in columns);
  // An edit leaves out what it does not change, so only what is defined is kept.
  const kept = (value: Partial<PublishedArticleRow>) =>
    Object.fromEntries(fields.flatMap((f) => (value[f] === undefined ? [] : [[f, value[f]]])));
  const onConflictSet = Object.fromEntries(
    fields.filter((f) => f !== 'articleId').map((f) => [f, sql`excluded.${sql.identifier(columns[f]!.name)}`]),
  );
  return defineProjection<Record<Key, Table>>({
    name,
    mode: 'async',
    eventTypes: articleEventTypes,
    tables: (suffix) => ({ [key]: table(`${name}${suffix}`) }) as Record<Key, Table>,
    tableNames: [name],
    async apply(tx, events, tables) {
      // Typed as the narrowest table; the other columns a row fills come from `fields`.
      const target = tables[key] as PublicArticlesTable as ArticleSitemapTable;
      const upserts: ArticleSitemapTable['$inferInsert'][] = [];
      const removed: string[] = [];
      for (const [articleId, fate] of foldPublishedArticles(events)) {
        if (fate.kind === 'upsert') upserts.push(kept(fate.row) as ArticleSitemapTable['$inferInsert']);
        else if (fate.kind === 'delete') removed.push(articleId);
        else await tx.update(target).set(kept(fate.set)).where(eq(target.articleId, articleId));
      }
      if (removed.length > 0) await tx.delete(target).where(inArray(target.articleId, removed));
      if (upserts.length > 0) {
        await tx.insert(target).values(upserts).onConflictDoUpdate({ target: target.articleId, set: onConflictSet });
      }
    },
  });
}

/** Full-text search over published articles (a generated, weighted tsvector; see the schema). */
export const articleSearchProjection = publicArticlesProjection({
  name: 'article_search',
  key: 'search',
  table: articleSearchTable,
});

/** What `GET /feed.xml` reads. */
export const articleFeedProjection = publicArticlesProjection({
  name: 'article_feed',
  key: 'feed',
  table: articleFeedTable,
});

/**
 * What `GET /sitemap.xml` reads: a URL and a last change per published article. Any edit of a
 * published article is a change a crawler should see in `lastmod`, so every edit moves `updatedAt`.
 */
export const articleSitemapProjection = publicArticlesProjection({
  name: 'article_sitemap',
  key: 'sitemap',
  table: articleSitemapTable,
});
