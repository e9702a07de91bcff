import { idInStream } from '../kernel/streams.ts';

export const articleStream = (articleId: string) => `article-${articleId}`;
/** Slugs are lowercase already; claims compare them exactly. */
export const articleSlugStream = (slug: string) => `article-slug-${slug}`;

export const articleIdOfStream = (streamId: string) => idInStream('article-', streamId);
