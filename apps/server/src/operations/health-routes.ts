import type { ServerResponse } from 'node:http';
import type { App } from '@strata/api';
import { migrationStatus } from '@strata/db';
import type { PlainRoute } from '../server.ts';
import type { ApiMetrics } from './metrics.ts';

/** How long readiness waits for the database before it answers 503. */
const readinessTimeoutMs = 3000;

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * Whether the database answers and has every migration this build ships. Never throws; what went
 * wrong is said in words a probe's log can show, never the driver's message (it may carry SQL).
 */
export async function readiness(app: App): Promise<{ ready: boolean; body: Record<string, unknown> }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), readinessTimeoutMs);
  });
  try {
    const status = await Promise.race([migrationStatus(app.database), timeout]);
    if (status === 'timeout') {
      return {
        ready: false,
        body: { status: 'unavailable', reason: `the database did not answer within ${readinessTimeoutMs} ms` },
      };
    }
    if (status.pending.length > 0) {
      return {
        ready: false,
        body: {
          status: 'unavailable',
          reason: 'migrations are pending: run `npm run migrate --workspace @strata/server` or restart the api',
          migrations: status,
        },
      };
    }
    return { ready: true, body: { status: 'ready', engine: app.database.engine, migrations: status } };
  } catch (error) {
    app.logger.warn({ err: error }, 'readiness: the database could not be reached');
    return { ready: false, body: { status: 'unavailable', reason: 'the database cannot be reached' } };
  } finally {
    clearTimeout(timer);
  }
}

/** `/healthz` (alive), `/readyz` (database and migrations) and `/metrics` (Prometheus), outside tRPC. */
export function operationsRoutes(app: App, metrics: ApiMetrics): Record<string, PlainRoute> {
  const getOnly =
    (route: PlainRoute): PlainRoute =>
    (req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed');
        return;
      }
      return route(req, res);
    };
  return {
    // The process answers: nothing else is asked, so a slow database never restarts a healthy api.
    '/healthz': getOnly((_req, res) => sendJson(res, 200, { status: 'ok' })),
    '/readyz': getOnly(async (_req, res) => {
      const { ready, body } = await readiness(app);
      if (!ready) res.setHeader('retry-after', '2');
      sendJson(res, ready ? 200 : 503, body);
    }),
    '/metrics': getOnly(async (_req, res) => {
      const text = await metrics.scrape();
      res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
      res.end(text);
    }),
  };
}
