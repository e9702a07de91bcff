import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type App, latestPublished, sitemapEntries } from '@strata/api';
import { renderRssFeed, renderSitemap } from '@strata/domain';
import type { PlainRoute } from '../server.ts';

export interface FeedSiteOptions {
  /** Where the public site lives (PUBLIC_URL); article links are `<siteUrl>/articles/<slug>`. */
  siteUrl: string;
  title?: string;
  description?: string;
}

/**
 * Sends a document with an ETag from its bytes: a reader polling the feed gets 304 until an
 * article is published, edited or unpublished. GET and HEAD only; public, no session needed.
 */
function sendDocument(req: IncomingMessage, res: ServerResponse, contentType: string, body: string) {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const headers = {
    'content-type': `${contentType}; charset=utf-8`,
    'cache-control': 'public, max-age=60',
    etag,
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function getOnly(route: PlainRoute): PlainRoute {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed');
      return;
    }
    return route(req, res);
  };
}

/**
 * `GET /feed.xml` (RSS 2.0 of the 20 latest published articles) and `GET /sitemap.xml`, each
 * from its own async read model; the pure renderers live in the domain.
 */
export function publishingRoutes(app: App, site: FeedSiteOptions): Record<string, PlainRoute> {
  const db = app.database.db;
  const title = site.title ?? 'Strata';
  return {
    '/feed.xml': getOnly(async (req, res) => {
      const articles = await latestPublished(db);
      const xml = renderRssFeed({
        siteUrl: site.siteUrl,
        title,
        description: site.description ?? `The latest articles from ${title}`,
        articles,
      });
      sendDocument(req, res, 'application/rss+xml', xml);
    }),
    '/sitemap.xml': getOnly(async (req, res) => {
      sendDocument(
        req,
        res,
        'application/xml',
        renderSitemap({ siteUrl: site.siteUrl, articles: await sitemapEntries(db) }),
      );
    }),
  };
}
