import { z } from 'zod';
import { defineEvent, type EventOf, eventCatalog } from '../kernel/events.ts';
import { idInStream } from '../kernel/streams.ts';

// The publishing context's streams (where its events go), then its events.
export const articleStream = (articleId: string) => `article-${articleId}`;
/** Slugs are lowercase already; claims compare them exactly. */
export const articleSlugStream = (slug: string) => `article-slug-${slug}`;

export const articleIdOfStream = (streamId: string) => idInStream('article-', streamId);

/*
 * Stored facts are checked for shape only: length limits are policy (inputs enforce them) and
 * may change without making old events unreadable.
 */
const at = z.iso.datetime();

export const ArticleDrafted = defineEvent(
  'ArticleDrafted',
  z.object({ articleId: z.string(), title: z.string(), body: z.string(), slug: z.string() }),
);
/** Only the fields that changed. */
export const ArticleEdited = defineEvent(
  'ArticleEdited',
  z.object({ title: z.string().optional(), body: z.string().optional(), slug: z.string().optional() }),
);
/**
 * What was published, not only when: the public read models (search, RSS, sitemap) are built
 * from this event alone, and history shows exactly what readers saw.
 */
export const ArticlePublished = defineEvent(
  'ArticlePublished',
  z.object({ publishedAt: at, title: z.string(), body: z.string(), slug: z.string() }),
);
export const ArticleUnpublished = defineEvent('ArticleUnpublished', z.object({}));
export const articleEventDefinitions = [ArticleDrafted, ArticleEdited, ArticlePublished, ArticleUnpublished] as const;
export type ArticleEvent = EventOf<typeof articleEventDefinitions>;

/** A slug belongs to at most one article: a stream per slug serialises claims. */
export const ArticleSlugClaimed = defineEvent(
  'ArticleSlugClaimed',
  z.object({ articleId: z.string(), slug: z.string() }),
);
export const ArticleSlugReleased = defineEvent(
  'ArticleSlugReleased',
  z.object({ articleId: z.string(), slug: z.string() }),
);
export const articleSlugEventDefinitions = [ArticleSlugClaimed, ArticleSlugReleased] as const;
export type ArticleSlugEvent = EventOf<typeof articleSlugEventDefinitions>;

export const publishingEvents = eventCatalog([...articleEventDefinitions, ...articleSlugEventDefinitions] as const);
export type PublishingEvent = ArticleEvent | ArticleSlugEvent;
