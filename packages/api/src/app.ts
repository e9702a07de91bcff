import {
  type AnyProjection,
  type AsyncReactor,
  articleFeedProjection,
  articleSearchProjection,
  articleSitemapProjection,
  articlesProjection,
  createCommandRunner,
  createProjectionWorker,
  type Database,
  eventStatsProjection,
  itemSalesProjection,
  itemsProjection,
  ordersProjection,
  projectionProcessor,
  reactorProcessor,
  roleChangeNotifications,
  sessionsProjection,
  usersProjection,
  waitForProjection,
  walletsProjection,
} from '@strata/db';
import { domainEvents } from '@strata/domain';
import { TRPCError } from '@trpc/server';
import { createSessionCache } from './identity/session-cache.ts';

/** What the api logs through: the process's pino logger fits it (the process picks the logger). */
export interface Logger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** Logs nothing: for benchmarks and scripts that build an app without a process around it. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export interface AppOptions {
  database: Database;
  logger: Logger;
  sessionTtlMs?: number;
  snapshotEvery?: number;
  readYourWritesTimeoutMs?: number;
}

/** Every read model and reactor of the platform, by name. */
export function readModels(catalog: typeof domainEvents) {
  const projections: AnyProjection[] = [
    usersProjection,
    sessionsProjection,
    eventStatsProjection(catalog.types),
    // shop: what commands must read back at once is inline; sales is an async report
    walletsProjection,
    itemsProjection,
    ordersProjection,
    itemSalesProjection,
    // publishing: the admin list is inline; search, feed and sitemap are async public views
    articlesProjection,
    articleSearchProjection,
    articleFeedProjection,
    articleSitemapProjection,
  ];
  const reactors: AsyncReactor[] = [roleChangeNotifications];
  return { projections, reactors };
}

/** Everything a request needs, built once per process. */
export function createApp(options: AppOptions) {
  const { database, logger } = options;
  const catalog = domainEvents;
  const { projections, reactors } = readModels(catalog);
  const runner = createCommandRunner({
    database,
    catalog,
    projections,
    snapshotEvery: options.snapshotEvery ?? 100,
  });
  const sessions = createSessionCache(database.db);
  // A command on a user or a session (logout, deactivation, a role or password change) takes
  // effect on this process's next request; other processes see it when their cache entry expires.
  const run: typeof runner.run = async (plan, runOptions) => {
    const result = await runner.run(plan, runOptions);
    const touched = [result.streamId, ...result.streams.map((stream) => stream.streamId)];
    if (touched.some((id) => id.startsWith('user-') || id.startsWith('session-'))) sessions.forgetAll();
    return result;
  };
  const commands = { ...runner, run };
  const readYourWritesTimeoutMs = options.readYourWritesTimeoutMs ?? 5000;

  const projectionNamed = (name: string) => {
    const projection = projections.find((p) => p.name === name);
    if (!projection) throw new TRPCError({ code: 'NOT_FOUND', message: `no projection named ${name}` });
    return projection;
  };

  return {
    database,
    logger,
    catalog,
    commands,
    projections,
    reactors,
    projectionNamed,
    sessionTtlMs: options.sessionTtlMs ?? 12 * 60 * 60 * 1000,
    /** The session a bearer token names, from a cache of at most a second. */
    findSession: (token: string) => sessions.find(token),
    /** Read-your-writes: waits (bounded) until `readModel` has applied the event at `minPosition`. */
    async waitForReadModel(readModel: string, minPosition: number | undefined): Promise<void> {
      if (!minPosition) return;
      await waitForProjection(database, projectionNamed(readModel), minPosition, readYourWritesTimeoutMs);
    },
    /** A worker for every async projection and reactor (the api runs one; so may `worker`). */
    createWorker(workerOptions: { pollIntervalMs?: number; lockRetryMs?: number; batchSize?: number } = {}) {
      return createProjectionWorker({
        database,
        processors: [
          ...projections.filter((p) => p.mode === 'async').map(projectionProcessor),
          ...reactors.map(reactorProcessor),
        ],
        ...workerOptions,
        onError: (error, processor) => logger.error({ err: error, processor }, 'projection worker failed'),
      });
    },
  };
}

export type App = ReturnType<typeof createApp>;
