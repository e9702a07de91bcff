import { createCommandRunner, type Database, queryRows, sessionsProjection, usersProjection } from '@strata/db';
import { type DomainEvent, type EventCatalog, identityEvents } from '@strata/domain';
import { sql } from 'drizzle-orm';
import { ReadModelTimeoutError } from './errors.ts';
import type { Logger } from './logger.ts';

export interface AppOptions {
  database: Database;
  logger: Logger;
  sessionTtlMs?: number;
  snapshotEvery?: number;
  readYourWritesTimeoutMs?: number;
}

/** Everything a request needs, built once per process. */
export function createApp(options: AppOptions) {
  const { database, logger } = options;
  const catalog = identityEvents as unknown as EventCatalog<DomainEvent>;
  const projections = [usersProjection, sessionsProjection];
  const commands = createCommandRunner({
    database,
    catalog,
    projections,
    snapshotEvery: options.snapshotEvery ?? 100,
  });
  const readYourWritesTimeoutMs = options.readYourWritesTimeoutMs ?? 5000;

  return {
    database,
    logger,
    catalog,
    commands,
    projections,
    sessionTtlMs: options.sessionTtlMs ?? 12 * 60 * 60 * 1000,
    /**
     * Waits until `readModel` reflects the event at `minPosition`. Inline read models are written
     * in the append's transaction, so seeing the event committed is enough.
     */
    async waitForReadModel(readModel: string, minPosition: number | undefined): Promise<void> {
      if (!minPosition) return;
      const deadline = Date.now() + readYourWritesTimeoutMs;
      for (;;) {
        const [row] = await queryRows<{ seen: boolean }>(
          database.db,
          sql`select exists(select 1 from events where position >= ${minPosition}) as seen`,
        );
        if (row?.seen) return;
        if (Date.now() > deadline) throw new ReadModelTimeoutError(readModel, minPosition);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}

export type App = ReturnType<typeof createApp>;
