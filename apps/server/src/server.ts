import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type App, appRouter, createContext, createSignInThrottle, type SignInLimits, toTRPCError } from '@strata/api';
import { isDatabaseUnavailable } from '@strata/db';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createOpenApiRoutes } from './openapi/routes.ts';
import { operationsRoutes } from './operations/health-routes.ts';
import { createApiMetrics } from './operations/metrics.ts';

export interface ApiServerOptions {
  app: App;
  port: number;
  host?: string;
  /** Origins allowed to call the api from a browser (the web app). */
  corsOrigins?: readonly string[];
  /** Larger request bodies are refused before they are parsed (default 2 MB). */
  maxBodySize?: number;
  /** Sign-in throttling (see `SignInLimits`); the defaults suit production. */
  signInLimits?: Partial<SignInLimits>;
  /** Node's own metrics (memory, CPU, event loop) in `/metrics` (default true). */
  processMetrics?: boolean;
}

/**
 * Sent with every answer. The api serves JSON and feeds, never a page: nothing may run, load or
 * frame it, and no browser may guess a type it did not state.
 */
export const apiSecurityHeaders = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
} as const;

export type PlainRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/**
 * The api: tRPC under /trpc, the same procedures as plain JSON under /api (OpenAPI), health and
 * metrics, plus plain HTTP routes (feeds) registered by the contexts.
 */
export async function startApiServer(options: ApiServerOptions, contextRoutes: Record<string, PlainRoute> = {}) {
  const maxBodySize = options.maxBodySize ?? 2 * 1024 * 1024;
  const allowed = new Set(options.corsOrigins ?? []);
  const metrics = createApiMetrics(options.app, { processMetrics: options.processMetrics });
  const contextDeps = { signInThrottle: createSignInThrottle(options.signInLimits), webOrigins: allowed, metrics };
  // A session lookup while the database is down answers 503, not a 500 carrying the driver's message.
  const requestContext = (opts: Parameters<typeof createContext>[1]) =>
    createContext(options.app, opts, contextDeps).catch((error: unknown) => {
      throw toTRPCError(error);
    });
  const trpc = createHTTPHandler({ router: appRouter, basePath: '/trpc/', maxBodySize, createContext: requestContext });
  const openApi = createOpenApiRoutes({ createContext: requestContext, maxBodySize, logger: options.app.logger });
  const routes: Record<string, PlainRoute> = {
    ...operationsRoutes(options.app, metrics),
    ...openApi.routes,
    ...contextRoutes,
  };

  const server: Server = createServer((req, res) => {
    for (const [name, value] of Object.entries(apiSecurityHeaders)) res.setHeader(name, value);
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, x-request-id, trpc-accept');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    // Refused before reading a byte of it, whoever sends it; tRPC also stops reading at the limit.
    if (Number(req.headers['content-length'] ?? 0) > maxBodySize) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(
        JSON.stringify({ error: { message: `request body exceeds ${maxBodySize} bytes`, code: 'PAYLOAD_TOO_LARGE' } }),
      );
      req.destroy();
      return;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/trpc/')) {
      trpc(req, res);
      return;
    }
    if (path.startsWith(`${openApi.basePath}/`)) {
      openApi.handle(req, res);
      return;
    }
    const route = routes[path];
    if (route) {
      Promise.resolve(route(req, res)).catch((error: unknown) => {
        const unavailable = isDatabaseUnavailable(error);
        options.app.logger.error({ err: error, path }, 'route failed');
        if (!res.headersSent) {
          res.writeHead(unavailable ? 503 : 500, {
            'content-type': 'text/plain',
            ...(unavailable ? { 'retry-after': '2' } : {}),
          });
        }
        res.end(unavailable ? 'the database is unavailable; try again shortly' : 'internal error');
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    /** Stops accepting requests and closes open connections (SSE streams too). */
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      metrics.close();
    },
  };
}
export type ApiServer = Awaited<ReturnType<typeof startApiServer>>;
