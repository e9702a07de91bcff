/**
 * `/articles/<segment>` is two pages behind one route. An article id opens the admin's editor
 * (ids never change, so admin links survive a slug edit); anything else is the public page of
 * the published article with that slug, which the RSS feed and the sitemap link to.
 * `/articles/new` stays the admin's: Next routes a static segment before a dynamic one.
 */
const articleIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isArticleId = (segment: string) => articleIdPattern.test(segment);

/** The slug when this path is a public article page, null for every other path. */
export function publishedArticleSlugOf(pathname: string): string | null {
  const segment = /^\/articles\/([^/]+)$/.exec(pathname)?.[1];
  if (!segment || segment === 'new' || isArticleId(segment)) return null;
  return segment;
}
