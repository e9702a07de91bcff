import { type NextRequest, NextResponse } from 'next/server';
import { apiUrlFromEnv } from './api/api-url-from-env';

/** Served by the api, at the web app's origin (see `proxy`). */
const apiPaths = new Set(['/feed.xml', '/sitemap.xml']);

/**
 * What a page may do: run only the scripts Next.js marks with this request's nonce (and what they
 * load), talk to itself and to the api, and be framed by nobody. Styles may be inline (React's
 * `style` attributes); they cannot run code.
 */
function contentSecurityPolicy(nonce: string, apiOrigin: string, https: boolean): string {
  const dev = process.env.NODE_ENV === 'development';
  return [
    "default-src 'self'",
    // React uses eval only in development, for its error overlays.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${apiOrigin}${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/**
 * Every page gets a Content-Security-Policy with a fresh nonce; Next.js reads it from the request
 * and puts the nonce on its own scripts (pages render per request: the root layout awaits
 * `connection()`). The policy is built here, not in next.config, because the api's origin is
 * known only when the server runs (API_URL).
 *
 * The api renders the RSS feed and the sitemap; the web app serves them at its own origin so feed
 * readers and crawlers find them beside the article pages they link to. A rewrite here (not in
 * next.config, whose rewrites are fixed at build time) follows API_URL at run time, and passes
 * conditional requests and ETags through both ways.
 */
export function proxy(request: NextRequest) {
  const apiUrl = apiUrlFromEnv();
  if (apiPaths.has(request.nextUrl.pathname)) {
    return NextResponse.rewrite(new URL(request.nextUrl.pathname, apiUrl));
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const forwardedProto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  const https = (forwardedProto ?? request.nextUrl.protocol.replace(':', '')) === 'https';
  const policy = contentSecurityPolicy(nonce, new URL(apiUrl).origin, https);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

// Static files carry no scripts of their own to mark; next.config's headers cover them.
export const config = { matcher: ['/((?!_next/static|_next/image).*)'] };
