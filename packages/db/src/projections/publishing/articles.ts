import {
  type ArticleEvent,
  type ArticleListRow,
  articleEventDefinitions,
  articleListProjector,
  publishingEvents,
} from '@strata/domain';
import { articlesTable } from '../../schema/publishing.ts';
import { defineRowProjection } from '../row-projection.ts';

/**
 * The admin's article list, drafts included. Inline: an editor drafts, edits and publishes in a
 * row, and each screen after a save must show the save (and the version to expect next).
 */
export const articlesProjection = defineRowProjection<ArticleListRow>({
  name: 'articles',
  eventTypes: articleEventDefinitions.map((d) => d.type),
  tableName: 'articles',
  table: (suffix) => articlesTable(`articles${suffix}`),
  key: 'articleId',
  changes: (event, context) =>
    articleListProjector(publishingEvents.decode(event) as ArticleEvent, context).map((change) =>
      change.kind === 'insert' ? change : { kind: 'update', key: change.articleId, set: change.set },
    ),
});
