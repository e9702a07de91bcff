import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { TRPCError } from '@trpc/server';
import type { App } from './app.ts';
import { isSessionTokenShaped, type Session } from './identity/sessions.ts';
import { addressKey, type SignInThrottle } from './identity/sign-in-throttle.ts';
import { redeemStreamTicket } from './identity/stream-tickets.ts';

export const sessionCookie = 'strata_session';

/** What every call records: the server's Prometheus metrics fit it (the process owns them). */
export interface CallMetrics {
  recordCall(call: { procedure: string; type: string; outcome: string; seconds: number }): void;
}

/**
 * Calls that check a password (sign-in, the first admin's one-time password) one HTTP batch may
 * carry: a batch is one request to anything that counts requests, so a hundred guesses must not
 * travel as one. The other `auth.*` calls check nothing and stay batchable: the SDK asks for one
 * stream ticket per live subscription, and a client with many reconnects them all at once.
 */
export const maxPasswordChecksPerBatch = 3;
const passwordChecks = new Set(['auth.login', 'auth.bootstrapAdmin']);

export interface ApiContext {
  app: App;
  session: Session | null;
  requestId: string;
  /** Who is calling, as throttling counts them: the socket's address (IPv6: its /64). */
  clientAddress: string;
  signInThrottle: SignInThrottle;
  /** The server's metrics (absent for callers made without a server, e.g. in tests). */
  metrics?: CallMetrics | undefined;
  /** Sets or clears the session cookie (HttpOnly; Secure when the request came over HTTPS). */
  setSessionCookie(token: string | null, maxAgeSeconds?: number): void;
}

/** What the server shares with every request's context. */
export interface ContextDeps {
  signInThrottle: SignInThrottle;
  /** The web app's origins: the only ones whose requests the session cookie is good for. */
  webOrigins: ReadonlySet<string>;
  metrics?: CallMetrics | undefined;
}

/** The session cookie's value, or null if it is missing or malformed (bad percent-encoding: ignored, not a 500). */
export function sessionCookieOf(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== sessionCookie) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The bearer token from the Authorization header or the session cookie. Never from the URL: a live
 * stream, whose browser EventSource cannot send headers, brings a one-time ticket instead. The
 * cookie counts only without an Origin or from the web app's, so another site's page (even a
 * same-site one, which SameSite lets through) cannot act with it; a form post would skip CORS.
 */
function tokenOf(req: IncomingMessage, webOrigins: ReadonlySet<string>): string | null {
  const auth = req.headers.authorization;
  const origin = req.headers.origin;
  const token = auth?.startsWith('Bearer ')
    ? auth.slice('Bearer '.length).trim()
    : !origin || webOrigins.has(origin)
      ? sessionCookieOf(req.headers.cookie)
      : null;
  // Anything not shaped like a token we issue names no session: no need to ask the database.
  return token && isSessionTokenShaped(token) ? token : null;
}

/** Who is calling: a bearer token or the session cookie, or a live stream's one-time ticket. */
function sessionOf(
  app: App,
  req: IncomingMessage,
  connectionParams: Record<string, unknown> | null | undefined,
  webOrigins: ReadonlySet<string>,
): Promise<Session | null> {
  const token = tokenOf(req, webOrigins);
  if (token) return app.findSession(token);
  const ticket = connectionParams?.ticket;
  if (typeof ticket === 'string' && ticket) return redeemStreamTicket(app.database.db, ticket);
  return Promise.resolve(null);
}

/**
 * Whether the browser reached us over HTTPS: the socket itself, or a proxy in front saying so. The
 * header can be forged, but it only decides whether the caller's own cookie is marked Secure.
 */
function isHttps(req: IncomingMessage): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted) return true;
  const forwarded = req.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return proto === 'https';
}

/** The context of one HTTP request (a batch shares it). */
export async function createContext(
  app: App,
  opts: {
    req: IncomingMessage;
    res: ServerResponse;
    info?: { connectionParams?: Record<string, unknown> | null; calls?: readonly { path: string }[] };
  },
  deps: ContextDeps,
): Promise<ApiContext> {
  const checks = opts.info?.calls?.filter((call) => passwordChecks.has(call.path)).length ?? 0;
  if (checks > maxPasswordChecksPerBatch) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `a batch may hold at most ${maxPasswordChecksPerBatch} sign-in calls; send them one by one`,
    });
  }
  const requestIdHeader = opts.req.headers['x-request-id'];
  const secure = isHttps(opts.req) ? '; Secure' : '';
  return {
    app,
    session: await sessionOf(app, opts.req, opts.info?.connectionParams, deps.webOrigins),
    requestId: typeof requestIdHeader === 'string' && requestIdHeader.length <= 100 ? requestIdHeader : randomUUID(),
    clientAddress: addressKey(opts.req.socket.remoteAddress),
    signInThrottle: deps.signInThrottle,
    metrics: deps.metrics,
    setSessionCookie(value, maxAgeSeconds = 0) {
      // Strict: the web app calls the api from its own site; no other site's page needs the cookie.
      const attributes = `Path=/; HttpOnly; SameSite=Strict${secure}`;
      const cookie = value
        ? `${sessionCookie}=${encodeURIComponent(value)}; ${attributes}; Max-Age=${maxAgeSeconds}`
        : `${sessionCookie}=; ${attributes}; Max-Age=0`;
      opts.res.setHeader('Set-Cookie', cookie);
    },
  };
}
