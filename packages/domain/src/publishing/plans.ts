import { type CommandPlan, loadedOf, type Plan, presumedNew, streamCommand, streamRead } from '../kernel/decider.ts';
import { type ArticleState, articleDecider } from './article-decider.ts';
import { articleSlugStream, articleStream } from './events.ts';
import { articleSlugDecider } from './slug-decider.ts';
import { articleLimits, isReservedSlug, slugify } from './values.ts';

export interface DraftArticleRequest {
  articleId: string;
  title: string;
  body: string;
  /** Without one, the slug comes from the title. */
  slug?: string | undefined;
}

export interface ArticleChanges {
  title?: string | undefined;
  body?: string | undefined;
  slug?: string | undefined;
}

const claimSlug = (articleId: string, slug: string) =>
  streamCommand(articleSlugDecider, articleSlugStream(slug), { type: 'ClaimSlug', articleId, slug });
const releaseSlug = (articleId: string, slug: string) =>
  streamCommand(articleSlugDecider, articleSlugStream(slug), { type: 'ReleaseSlug', articleId, slug });

function draftWithSlug(request: DraftArticleRequest, slug: string, claimVersion?: number): CommandPlan {
  const { articleId, title, body } = request;
  const claim = claimSlug(articleId, slug);
  return {
    primary: streamCommand(articleDecider, articleStream(articleId), {
      type: 'DraftArticle',
      articleId,
      title,
      body,
      slug,
    }),
    related: () => [{ ...claim, expectedVersion: claimVersion }],
  };
}

/**
 * The slugs a title may get: its own, or — when another article holds that — the same with the
 * start of the article id, so two articles titled "Weekly roundup" both draft without a prompt.
 */
export function slugCandidates(title: string, articleId: string): [preferred: string, fallback: string] {
  const suffix =
    articleId
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 8) || 'x';
  const fallback = `${slugify(title, articleLimits.maxSlug - suffix.length - 1) || 'article'}-${suffix}`;
  const preferred = slugify(title) || 'article';
  return [isReservedSlug(preferred) ? fallback : preferred, fallback];
}

/** Publishing commands as plans: an article's stream plus the claim on its slug. */
export const publishingPlans = {
  /**
   * A given slug is claimed as is (taken: `article.slug_taken`). A slug made from the title reads
   * both candidate claims first and takes the preferred one when it is free.
   */
  draftArticle(request: DraftArticleRequest): Plan {
    // The article's own stream is read with the slug claims (it is the primary, loaded once), so
    // a runner loads them all in one go instead of the claims after the article.
    // The article id is new (the caller has just made it) and most slugs are free: the runner may
    // decide on empty streams without loading them, the append's version 0 checks the guess.
    const articleRead = presumedNew(streamRead(articleDecider, articleStream(request.articleId)));
    const { slug } = request;
    if (slug !== undefined) {
      const slugRead = presumedNew(streamRead(articleSlugDecider, articleSlugStream(slug)));
      return { reads: [articleRead, slugRead], decide: () => draftWithSlug(request, slug) };
    }
    const [preferred, fallback] = slugCandidates(request.title, request.articleId);
    const preferredRead = presumedNew(streamRead(articleSlugDecider, articleSlugStream(preferred)));
    // Only looked at when the preferred slug is taken; then the claim appends at version 0, which
    // checks the guess (a runner ignores a presumed state the decision never looked at).
    const fallbackRead = presumedNew(streamRead(articleSlugDecider, articleSlugStream(fallback)));
    return {
      reads: [articleRead, preferredRead, fallbackRead],
      decide(loaded) {
        const claim = loadedOf(loaded, preferredRead);
        const free = claim.state.ownerId === null || claim.state.ownerId === request.articleId;
        return free
          ? draftWithSlug(request, preferred, claim.version)
          : draftWithSlug(request, fallback, loadedOf(loaded, fallbackRead).version);
      },
    };
  },

  /** A new slug releases the old claim and claims the new one; old links then stop resolving. */
  editArticle(articleId: string, changes: ArticleChanges, expectedVersion?: number): CommandPlan<ArticleState> {
    return {
      primary: streamCommand(
        articleDecider,
        articleStream(articleId),
        { type: 'EditArticle', ...changes },
        expectedVersion,
      ),
      related: (state) =>
        state.status === 'none' || changes.slug === undefined || changes.slug === state.slug
          ? []
          : [releaseSlug(articleId, state.slug), claimSlug(articleId, changes.slug)],
    };
  },

  publishArticle(articleId: string, now: string, expectedVersion?: number): CommandPlan {
    return {
      primary: streamCommand(
        articleDecider,
        articleStream(articleId),
        { type: 'PublishArticle', now },
        expectedVersion,
      ),
    };
  },

  unpublishArticle(articleId: string, expectedVersion?: number): CommandPlan {
    return {
      primary: streamCommand(articleDecider, articleStream(articleId), { type: 'UnpublishArticle' }, expectedVersion),
    };
  },
};
