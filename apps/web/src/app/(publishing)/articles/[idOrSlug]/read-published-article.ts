import { createClient } from '@strata/client';
import { cache } from 'react';
import { apiUrlFromEnv } from '../../../../api/api-url-from-env';
import { errorCodeOf } from '../../../../api/errors';

/**
 * A published article as any reader sees it, through the api's public `articles.bySlug` and
 * without a session. Null when no published article has this slug (a draft's slug included) or
 * it is not a slug at all; anything else (the api down) throws. Cached per request, so the page
 * and its metadata ask the api once.
 */
export const readPublishedArticle = cache(async (slug: string) => {
  try {
    return await createClient({ url: apiUrlFromEnv() }).articles.bySlug.query({ slug });
  } catch (error) {
    if (['NOT_FOUND', 'BAD_REQUEST'].includes(errorCodeOf(error) ?? '')) return null;
    throw error;
  }
});
