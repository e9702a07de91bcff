import {
  type ArticleEvent,
  type ArticleListRow,
  articleEventDefinitions,
  articleIdOfStream,
  articleListProjector,
  publishingEvents,
} from '@strata/domain';
import { inArray, sql } from 'drizzle-orm';
import { type ArticlesTable, articlesTable } from '../../schema/publishing.ts';
import { defineProjection, projectedEventContext } from '../projection.ts';
import { foldRowChanges } from '../row-changes.ts';

/**
 * The admin's article list, drafts included. Inline: an editor drafts, edits and publishes in a
 * row, and each screen after a save must show the save (and the version to expect next).
 */
export const articlesProjection = defineProjection<{ articles: ArticlesTable }>({
  name: 'articles',
  mode: 'inline',
  eventTypes: articleEventDefinitions.map((d) => d.type),
  tables: (suffix) => ({ articles: articlesTable(`articles${suffix}`) }),
  tableNames: ['articles'],
  async apply(tx, events, { articles }) {
    const ids = [...new Set(events.map((e) => articleIdOfStream(e.streamId)))];
    const stored = await tx.select().from(articles).where(inArray(articles.articleId, ids));
    const rows = foldRowChanges(
      'articleId',
      new Map(stored.map((row) => [row.articleId, row as ArticleListRow])),
      events.flatMap((e) => articleListProjector(publishingEvents.decode(e) as ArticleEvent, projectedEventContext(e))),
    );
    if (rows.length === 0) return;
    await tx
      .insert(articles)
      .values(rows)
      .onConflictDoUpdate({
        target: articles.articleId,
        set: {
          slug: sql`excluded.slug`,
          title: sql`excluded.title`,
          body: sql`excluded.body`,
          status: sql`excluded.status`,
          publishedAt: sql`excluded.published_at`,
          version: sql`excluded.version`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  },
});
