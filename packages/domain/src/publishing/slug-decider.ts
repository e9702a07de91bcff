import type { Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { ArticleSlugEvent } from './events.ts';

export type ArticleSlugState = { ownerId: string | null };
export type ArticleSlugCommand =
  | { type: 'ClaimSlug'; articleId: string; slug: string }
  | { type: 'ReleaseSlug'; articleId: string; slug: string };

/** One stream per slug: two articles can never hold one URL, even when both claim it at once. */
export const articleSlugDecider: Decider<ArticleSlugCommand, ArticleSlugEvent, ArticleSlugState> = {
  streamType: 'article-slug',
  initialState: () => ({ ownerId: null }),
  evolve(state, event) {
    switch (event.type) {
      case 'ArticleSlugClaimed':
        return { ownerId: event.data.articleId };
      case 'ArticleSlugReleased':
        return state.ownerId === event.data.articleId ? { ownerId: null } : state;
    }
  },
  decide(command, state) {
    const data = { articleId: command.articleId, slug: command.slug };
    switch (command.type) {
      case 'ClaimSlug':
        if (state.ownerId === command.articleId) return [];
        if (state.ownerId !== null) {
          throw new DomainError('article.slug_taken', 'another article already uses this slug', {
            field: 'slug',
            slug: command.slug,
          });
        }
        return [{ type: 'ArticleSlugClaimed', data }];
      case 'ReleaseSlug':
        return state.ownerId === command.articleId ? [{ type: 'ArticleSlugReleased', data }] : [];
    }
  },
};
