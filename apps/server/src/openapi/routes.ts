import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiContext, appRouter, type Logger } from '@strata/api';
import { createOpenApiHttpHandler } from 'trpc-to-openapi';
import type { PlainRoute } from '../server.ts';
import { docsPage } from './docs-page.ts';
import { openApiBasePath, openApiDocument } from './document.ts';

export interface OpenApiRoutesOptions {
  createContext: (opts: { req: IncomingMessage; res: ServerResponse }) => Promise<ApiContext>;
  maxBodySize: number;
  logger: Logger;
}

/**
 * The procedures as plain JSON under /api (no superjson: dates are ISO strings), the document at
 * /openapi.json and a reference page at /docs. Same context as tRPC, so the same bearer token, the
 * same middleware (logging, metrics, the one error mapper) and the same error shapes.
 */
export function createOpenApiRoutes(options: OpenApiRoutesOptions) {
  // The adapter hands createContext a Fetch Request; the api's context reads the Node request
  // (its socket's address, whether it came over TLS), found here by the response they share.
  const requests = new WeakMap<ServerResponse, IncomingMessage>();
  const handler = createOpenApiHttpHandler({
    router: appRouter,
    maxBodySize: options.maxBodySize,
    createContext: ({ res }) => {
      const req = requests.get(res);
      if (!req) throw new Error('no request for this response');
      return options.createContext({ req, res });
    },
    // A procedure's failures are logged by its middleware; this catches what fails around it.
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        options.logger.error({ err: error.cause ?? error, procedure: path }, 'openapi call failed');
      }
    },
  });
  const document = JSON.stringify(openApiDocument());
  const routes: Record<string, PlainRoute> = {
    '/openapi.json': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(document);
    },
    '/docs': (_req, res) => {
      const page = docsPage('/openapi.json');
      // This route only: the page runs its own inline script and styles, nothing from elsewhere.
      res.setHeader('Content-Security-Policy', page.contentSecurityPolicy);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(page.html);
    },
  };
  return {
    basePath: openApiBasePath,
    routes,
    /** Serves a request under `basePath`. */
    handle(req: IncomingMessage, res: ServerResponse) {
      req.url = (req.url ?? '/').slice(openApiBasePath.length) || '/';
      requests.set(res, req);
      handler(req, res).catch((error: unknown) => {
        options.logger.error({ err: error }, 'openapi request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'internal error', code: 'INTERNAL_SERVER_ERROR' }));
      });
    },
  };
}
