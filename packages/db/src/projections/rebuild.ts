import { eq, sql } from 'drizzle-orm';
import type { Database, StrataDb } from '../connection.ts';
import { projectionCheckpoints, projectionRebuilds } from '../schema/projections.ts';
import { queryRows } from '../sql-rows.ts';
import { headPosition, readAll } from '../store/read.ts';
import { type Checkpoint, startOfLog } from '../store/types.ts';
import { ensureCheckpoint, readCheckpoint } from './checkpoint.ts';
import type { AnyProjection } from './projection.ts';

export interface RebuildProgress {
  eventsDone: number;
  eventsTotal: number;
  eventsPerSecond: number;
}

export class RebuildInProgressError extends Error {
  readonly code = 'projection.rebuild_in_progress';
  constructor(readonly projection: string) {
    super(`projection ${projection} is already being rebuilt`);
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Replays every event into fresh copies of the projection's tables while the live ones keep
 * serving reads, then catches up the last events and swaps the copies in, in one transaction:
 * readers see the old tables or the new ones, never a mix, and no write made meanwhile is lost.
 * Async projections pause their worker on the checkpoint's row lock meanwhile; inline ones pause
 * the appends that write them on their tables' lock.
 */
export async function rebuildProjection(
  database: Database,
  projection: AnyProjection,
  options: { batchSize?: number; onProgress?: (progress: RebuildProgress) => void } = {},
): Promise<RebuildProgress> {
  const { done } = await startRebuild(database, projection, options);
  return done;
}

/**
 * Starts {@link rebuildProjection} and returns once it holds the projection's rebuild lock (or
 * throws {@link RebuildInProgressError}); `done` settles when the new tables are in.
 */
export async function startRebuild(
  database: Database,
  projection: AnyProjection,
  options: { batchSize?: number; onProgress?: (progress: RebuildProgress) => void } = {},
): Promise<{ done: Promise<RebuildProgress> }> {
  const lock = await database.tryAdvisoryLock(`strata:rebuild:${projection.name}`);
  if (!lock) throw new RebuildInProgressError(projection.name);
  const done = runRebuild(database, projection, options).finally(() => lock.release());
  // The caller may not wait; a failure is recorded in projection_rebuilds either way.
  done.catch(() => undefined);
  return { done };
}

async function runRebuild(
  database: Database,
  projection: AnyProjection,
  options: { batchSize?: number; onProgress?: (progress: RebuildProgress) => void },
): Promise<RebuildProgress> {
  const db = database.db;
  const batchSize = options.batchSize ?? 2000;
  const suffix = `_rb_${Date.now().toString(36)}`;
  const shadowTables = projection.tables(suffix);
  const started = performance.now();
  const progress: RebuildProgress = { eventsDone: 0, eventsTotal: 0, eventsPerSecond: 0 };
  let lastReport = 0;
  // Reports go through the caller's executor: inside the final transaction, on PGlite's single
  // connection, a write through `db` would wait for that very transaction.
  const report = async (executor: StrataDb, force = false) => {
    const seconds = (performance.now() - started) / 1000;
    progress.eventsPerSecond = seconds > 0 ? Math.round(progress.eventsDone / seconds) : 0;
    options.onProgress?.({ ...progress });
    if (!force && performance.now() - lastReport < 250) return;
    lastReport = performance.now();
    await executor
      .update(projectionRebuilds)
      .set({
        eventsDone: progress.eventsDone,
        eventsTotal: progress.eventsTotal,
        eventsPerSecond: progress.eventsPerSecond,
      })
      .where(eq(projectionRebuilds.name, projection.name));
  };
  // `until`: stop once past this position — the bulk pass must end even while writers keep
  // appending faster than it replays; the final pass, holding the lock, takes the rest.
  const replay = async (
    tx: StrataDb,
    from: Checkpoint,
    includeLateCommits = false,
    until = Number.POSITIVE_INFINITY,
  ): Promise<Checkpoint> => {
    let checkpoint = from;
    for (;;) {
      const { events, checkpoint: next } = await readAll(tx, {
        after: checkpoint,
        limit: batchSize,
        includeLateCommits,
      });
      if (events.length === 0) return checkpoint;
      const handled = events.filter((e) => projection.eventTypes.includes(e.type));
      if (handled.length > 0) await projection.apply(tx, handled, shadowTables);
      checkpoint = next;
      progress.eventsDone += events.length;
      progress.eventsTotal = Math.max(progress.eventsTotal, progress.eventsDone);
      await report(tx);
      if (events.length < batchSize || events.some((e) => e.position >= until)) return checkpoint;
      // PGlite runs in this thread: let requests in between batches.
      if (tx === db) await new Promise((resolve) => setImmediate(resolve));
    }
  };

  try {
    const [count] = await queryRows<{ n: string | number }>(db, sql`select count(*) as n from events`);
    progress.eventsTotal = Number(count?.n ?? 0);
    await db
      .insert(projectionRebuilds)
      .values({ name: projection.name, status: 'running', eventsTotal: progress.eventsTotal })
      .onConflictDoUpdate({
        target: projectionRebuilds.name,
        set: {
          status: 'running',
          eventsDone: 0,
          eventsTotal: progress.eventsTotal,
          eventsPerSecond: 0,
          startedAt: new Date(),
          finishedAt: null,
          error: null,
        },
      });
    for (const table of projection.tableNames) {
      await db.execute(sql.raw(`create table ${quoteIdent(table + suffix)} (like ${quoteIdent(table)} including all)`));
    }
    // Most of the work, without holding anything the live worker needs.
    const caughtUp = await replay(db, startOfLog, false, await headPosition(db));
    if (projection.mode === 'async') await ensureCheckpoint(db, projection.name);
    await db.transaction(async (tx) => {
      let final: Checkpoint;
      if (projection.mode === 'async') {
        // The live worker pauses on this row lock; it resumes from our checkpoint on the new tables.
        await readCheckpoint(tx, projection.name, { forUpdate: true });
        final = await replay(tx, caughtUp);
      } else {
        // An append statement that writes inline rows locks their tables before it appends, and
        // holds them until it commits. Once we hold them exclusively (reads still go on), every
        // row in the live tables comes from a committed event we can read, and appends still
        // waiting write into the new tables after the swap.
        const tables = projection.tableNames.map(quoteIdent).join(', ');
        await tx.execute(sql.raw(`lock table ${tables} in exclusive mode`));
        final = await replay(tx, caughtUp, true);
      }
      for (const table of projection.tableNames) {
        const retired = `${table}_old${suffix}`;
        await tx.execute(sql.raw(`alter table ${quoteIdent(table)} rename to ${quoteIdent(retired)}`));
        await tx.execute(sql.raw(`alter table ${quoteIdent(table + suffix)} rename to ${quoteIdent(table)}`));
        await tx.execute(sql.raw(`drop table ${quoteIdent(retired)}`));
      }
      if (projection.mode === 'async') {
        await tx
          .update(projectionCheckpoints)
          .set({ transactionId: final.transactionId, position: final.position, updatedAt: new Date(), lastError: null })
          .where(eq(projectionCheckpoints.name, projection.name));
      }
    });
    await report(db, true);
    await db
      .update(projectionRebuilds)
      .set({ status: 'done', finishedAt: new Date(), eventsTotal: progress.eventsDone })
      .where(eq(projectionRebuilds.name, projection.name));
    return { ...progress, eventsTotal: progress.eventsDone };
  } catch (error) {
    await db
      .update(projectionRebuilds)
      .set({ status: 'failed', finishedAt: new Date(), error: error instanceof Error ? error.message : String(error) })
      .where(eq(projectionRebuilds.name, projection.name))
      .catch(() => undefined);
    for (const table of projection.tableNames) {
      await db.execute(sql.raw(`drop table if exists ${quoteIdent(table + suffix)}`)).catch(() => undefined);
    }
    throw error;
  }
}
