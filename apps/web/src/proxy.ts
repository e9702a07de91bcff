import { type NextRequest, NextResponse } from 'next/server';
import { apiUrlFromEnv } from './api/api-url-from-env';

/**
 * The api renders the RSS feed and the sitemap; the web app serves them at its own origin so
 * feed readers and crawlers find them beside the article pages they link to. A rewrite here
 * (not in next.config, whose rewrites are fixed at build time) follows API_URL at run time, and
 * passes conditional requests and ETags through both ways.
 */
export function proxy(request: NextRequest) {
  return NextResponse.rewrite(new URL(request.nextUrl.pathname, apiUrlFromEnv()));
}

export const config = { matcher: ['/feed.xml', '/sitemap.xml'] };
