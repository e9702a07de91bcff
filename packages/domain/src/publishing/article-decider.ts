import type { Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { ArticleEvent } from './events.ts';
import type { ArticleStatus } from './values.ts';

export type ArticleState =
  | { status: 'none' }
  | {
      status: ArticleStatus;
      articleId: string;
      title: string;
      body: string;
      slug: string;
      /** When it was last published; kept after unpublishing, for history. */
      publishedAt: string | null;
    };

export type ArticleCommand =
  | { type: 'DraftArticle'; articleId: string; title: string; body: string; slug: string }
  | { type: 'EditArticle'; title?: string | undefined; body?: string | undefined; slug?: string | undefined }
  | { type: 'PublishArticle'; now: string }
  | { type: 'UnpublishArticle' };

type ExistingArticle = Exclude<ArticleState, { status: 'none' }>;

function existing(state: ArticleState): ExistingArticle {
  if (state.status === 'none') throw new DomainError('article.not_found', 'no such article');
  return state;
}

/** An article: drafted, edited at any time, published and unpublished (back to a draft). */
export const articleDecider: Decider<ArticleCommand, ArticleEvent, ArticleState> = {
  streamType: 'article',
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    if (event.type === 'ArticleDrafted') return { status: 'draft', ...event.data, publishedAt: null };
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'ArticleEdited':
        return { ...state, ...event.data };
      case 'ArticlePublished':
        return { ...state, ...event.data, status: 'published' };
      case 'ArticleUnpublished':
        return { ...state, status: 'draft' };
    }
  },

  decide(command, state) {
    if (command.type === 'DraftArticle') {
      if (state.status !== 'none') throw new DomainError('article.already_exists', 'this article already exists');
      const { type: _, ...data } = command;
      return [{ type: 'ArticleDrafted', data }];
    }
    const article = existing(state);
    switch (command.type) {
      case 'EditArticle': {
        const changed = {
          ...(command.title !== undefined && command.title !== article.title ? { title: command.title } : {}),
          ...(command.body !== undefined && command.body !== article.body ? { body: command.body } : {}),
          ...(command.slug !== undefined && command.slug !== article.slug ? { slug: command.slug } : {}),
        };
        return Object.keys(changed).length === 0 ? [] : [{ type: 'ArticleEdited', data: changed }];
      }
      case 'PublishArticle': {
        if (article.status === 'published') {
          throw new DomainError('article.already_published', 'this article is already published');
        }
        const { title, body, slug } = article;
        return [{ type: 'ArticlePublished', data: { publishedAt: command.now, title, body, slug } }];
      }
      case 'UnpublishArticle':
        if (article.status !== 'published') {
          throw new DomainError('article.not_published', 'only a published article can be unpublished');
        }
        return [{ type: 'ArticleUnpublished', data: {} }];
    }
  },
};
