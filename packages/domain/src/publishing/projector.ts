import type { Projector, RowEventContext } from '../kernel/projector.ts';
import type { ArticleEvent } from './events.ts';
import { articleIdOfStream } from './events.ts';
import type { ArticleStatus } from './values.ts';

/** A row of the article list: every article, drafts included, as the admin sees it. */
export interface ArticleListRow {
  articleId: string;
  slug: string;
  title: string;
  body: string;
  status: ArticleStatus;
  /** When it was last published (null for one never published). */
  publishedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type ArticleListChange =
  | { kind: 'insert'; row: ArticleListRow }
  | {
      kind: 'update';
      articleId: string;
      set: Partial<Omit<ArticleListRow, 'articleId' | 'createdAt'>> & { version: number; updatedAt: Date };
    };

export const articleListProjector: Projector<ArticleEvent, ArticleListChange, RowEventContext> = (event, context) => {
  const touched = { version: context.version, updatedAt: context.recordedAt };
  const articleId = articleIdOfStream(context.streamId);
  switch (event.type) {
    case 'ArticleDrafted':
      return [
        {
          kind: 'insert',
          row: { ...event.data, status: 'draft', publishedAt: null, ...touched, createdAt: context.recordedAt },
        },
      ];
    case 'ArticleEdited':
      return [{ kind: 'update', articleId, set: { ...event.data, ...touched } }];
    case 'ArticlePublished':
      return [
        {
          kind: 'update',
          articleId,
          set: { ...event.data, status: 'published', publishedAt: new Date(event.data.publishedAt), ...touched },
        },
      ];
    case 'ArticleUnpublished':
      return [{ kind: 'update', articleId, set: { status: 'draft', ...touched } }];
  }
};

/** A row of the public view behind search, RSS and the sitemap: published articles only. */
export interface PublishedArticleRow {
  articleId: string;
  slug: string;
  title: string;
  body: string;
  publishedAt: Date;
  updatedAt: Date;
}

/**
 * `update` changes a row only if it is there: editing a draft must not make it public, and it
 * arrives here as an update of a row that does not exist, which changes nothing.
 */
export type PublishedArticleChange =
  | { kind: 'upsert'; row: PublishedArticleRow }
  | {
      kind: 'update';
      articleId: string;
      set: Partial<Pick<PublishedArticleRow, 'slug' | 'title' | 'body'>> & { updatedAt: Date };
    }
  | { kind: 'delete'; articleId: string };

export const publishedArticlesProjector: Projector<ArticleEvent, PublishedArticleChange> = (event, context) => {
  const articleId = articleIdOfStream(context.streamId);
  switch (event.type) {
    case 'ArticleDrafted':
      return [];
    case 'ArticleEdited':
      return [{ kind: 'update', articleId, set: { ...event.data, updatedAt: context.recordedAt } }];
    case 'ArticlePublished': {
      const { publishedAt, ...content } = event.data;
      return [
        {
          kind: 'upsert',
          row: { articleId, ...content, publishedAt: new Date(publishedAt), updatedAt: context.recordedAt },
        },
      ];
    }
    case 'ArticleUnpublished':
      return [{ kind: 'delete', articleId }];
  }
};
