import { articleFeed, articleSitemap, desc, type StrataDb } from '@strata/db';
import { rssItemLimit, sitemapUrlLimit } from '@strata/domain';

/** The newest published articles, from the async `article_feed` read model (for /feed.xml). */
export async function latestPublished(db: StrataDb, limit = rssItemLimit) {
  return db.select().from(articleFeed).orderBy(desc(articleFeed.publishedAt), articleFeed.slug).limit(limit);
}

/** Every published article's url and time, from the async `article_sitemap` read model (for /sitemap.xml). */
export async function sitemapEntries(db: StrataDb) {
  const rows = await db
    .select()
    .from(articleSitemap)
    .orderBy(desc(articleSitemap.updatedAt), articleSitemap.slug)
    // One url is the home page.
    .limit(sitemapUrlLimit - 1);
  return rows.map((row) => ({ ...row, title: '', body: '' }));
}
