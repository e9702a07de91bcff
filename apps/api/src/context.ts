import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from './app.ts';
import { findSession, type Session } from './identity/sessions.ts';
import { redeemStreamTicket } from './identity/stream-tickets.ts';

export const sessionCookie = 'strata_session';

export interface ApiContext {
  app: App;
  session: Session | null;
  requestId: string;
  /** Sets or clears the session cookie (the web app may use it instead of a bearer token). */
  setSessionCookie(token: string | null, maxAgeSeconds?: number): void;
}

/**
 * The bearer token from the Authorization header or the session cookie. Never from the URL: a live
 * stream, whose browser EventSource cannot send headers, brings a one-time ticket instead.
 */
function tokenOf(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim() || null;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === sessionCookie) return decodeURIComponent(value.join('=')) || null;
  }
  return null;
}

/** Who is calling: a bearer token or the session cookie, or a live stream's one-time ticket. */
function sessionOf(
  app: App,
  req: IncomingMessage,
  connectionParams: Record<string, unknown> | null | undefined,
): Promise<Session | null> {
  const token = tokenOf(req);
  if (token) return findSession(app.database.db, token);
  const ticket = connectionParams?.ticket;
  if (typeof ticket === 'string' && ticket) return redeemStreamTicket(app.database.db, ticket);
  return Promise.resolve(null);
}

export async function createContext(
  app: App,
  opts: { req: IncomingMessage; res: ServerResponse; info?: { connectionParams?: Record<string, unknown> | null } },
): Promise<ApiContext> {
  const requestIdHeader = opts.req.headers['x-request-id'];
  return {
    app,
    session: await sessionOf(app, opts.req, opts.info?.connectionParams),
    requestId: typeof requestIdHeader === 'string' && requestIdHeader.length <= 100 ? requestIdHeader : randomUUID(),
    setSessionCookie(value, maxAgeSeconds = 0) {
      const cookie = value
        ? `${sessionCookie}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`
        : `${sessionCookie}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
      opts.res.setHeader('Set-Cookie', cookie);
    },
  };
}
