import { createApp, ensureBootstrapPassword } from '@strata/api';
import { openDatabase } from '@strata/db';
import type { ApiCliOptions } from './cli.ts';
import { seedDemoData } from './demo-data.ts';
import { createLogger } from './logger.ts';
import { publishingRoutes } from './publishing/feed-routes.ts';
import { startApiServer } from './server.ts';

/**
 * What `npm start` and `strata serve|worker|migrate` run: opens the database (applying
 * migrations), then serves the api with its workers, runs workers only, or exits after migrating.
 */
export async function runApi(options: ApiCliOptions): Promise<void> {
  const logger = createLogger();
  // A promise nobody awaited that failed (a driver's callback racing a dropped connection) is a
  // bug to fix, not a reason to stop serving everyone else: log it loudly and keep running.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  const database = await openDatabase({ url: options.databaseUrl, dataDir: options.dataDir });
  if (options.command === 'migrate') {
    // Opening applied them (under an advisory lock, so replicas starting meanwhile wait).
    logger.info({ engine: database.engine }, 'migrations applied');
    await database.close();
    return;
  }
  logger.info(
    { engine: database.engine, dataDir: database.engine === 'pglite' ? options.dataDir : undefined },
    'database ready',
  );
  const app = createApp({ database, logger, snapshotEvery: options.snapshotEvery, sessionTtlMs: options.sessionTtlMs });
  // PGlite is owned by this process, so its workers run here; on PostgreSQL they may run anywhere.
  const worker = options.runWorker ? app.createWorker({ batchSize: options.workerBatchSize }) : undefined;
  await worker?.start();
  if (worker) logger.info({ workerId: worker.workerId }, 'projection worker started');

  let stopping = false;
  const stop = async (signal: string, close: () => Promise<void>) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await close();
    await worker?.stop();
    await database.close();
    process.exit(0);
  };

  if (options.command === 'worker') {
    process.on('SIGINT', () => void stop('SIGINT', async () => {}));
    process.on('SIGTERM', () => void stop('SIGTERM', async () => {}));
    return;
  }

  if (options.demo) {
    const created = await seedDemoData(app);
    for (const user of created) {
      process.stdout.write(`demo user: ${user.email} / ${user.password} (${user.role})\n`);
    }
    if (created.length === 0) process.stdout.write('demo users exist already: alice@example.com, bob@example.com\n');
  }
  const bootstrap = await ensureBootstrapPassword(app, { replace: options.initAdmin });
  const until = (iso: string) => new Date(iso).toLocaleTimeString();
  if (bootstrap.kind === 'issued') {
    process.stdout.write(
      `\n  No admin yet. One-time password for the first admin (valid until ${until(bootstrap.expiresAt)}, once):\n\n      ${bootstrap.password}\n\n  Open the web app, or call auth.bootstrapAdmin with it.\n\n`,
    );
  } else if (bootstrap.kind === 'still-valid') {
    process.stdout.write(
      `\n  No admin yet. A one-time password printed by an earlier start (or another process) is valid until ${until(bootstrap.expiresAt)}.\n  Start with --init-admin for a new one (the old one then stops working).\n\n`,
    );
  } else if (options.initAdmin) {
    process.stdout.write('An admin exists already: --init-admin only works before the first admin is created.\n');
  }

  const server = await startApiServer(
    { app, port: options.port, host: options.host, corsOrigins: options.webOrigins },
    publishingRoutes(app, { siteUrl: process.env.PUBLIC_URL || 'http://localhost:3000' }),
  );
  logger.info({ url: server.url }, 'api listening');

  process.on('SIGINT', () => void stop('SIGINT', server.close));
  process.on('SIGTERM', () => void stop('SIGTERM', server.close));
}
