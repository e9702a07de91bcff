import { sql } from 'drizzle-orm';
import type { Database } from '../connection.ts';
import { projectionCheckpoints, projectionRebuilds } from '../schema/projections.ts';
import { queryRows } from '../sql-rows.ts';
import { hasReached, headPosition } from '../store/read.ts';
import { readCheckpoint } from './checkpoint.ts';
import type { AsyncReactor } from './processor.ts';
import type { AnyProjection } from './projection.ts';
import { projectionsChannel } from './worker.ts';

export interface ProjectionStatus {
  name: string;
  kind: 'projection' | 'reactor';
  mode: 'inline' | 'async';
  position: number;
  headPosition: number;
  /** Events committed but not yet applied. */
  lag: number;
  /** Age of the oldest event not yet applied. */
  lagSeconds: number;
  state: 'inline' | 'running' | 'idle' | 'stopped' | 'rebuilding' | 'failed';
  workerId: string | null;
  lastError: string | null;
  rebuild: {
    status: 'running' | 'done' | 'failed';
    eventsDone: number;
    eventsTotal: number;
    eventsPerSecond: number;
    startedAt: Date;
    finishedAt: Date | null;
    error: string | null;
  } | null;
}

/** A worker that has not said anything for this long is taken as gone. */
const heartbeatTimeoutMs = 10_000;

/** Position, lag, state and rebuild progress of every projection and reactor. */
export async function projectionStatuses(
  database: Database,
  projections: readonly AnyProjection[],
  reactors: readonly AsyncReactor[] = [],
): Promise<ProjectionStatus[]> {
  const db = database.db;
  const head = await headPosition(db);
  const checkpoints = await db.select().from(projectionCheckpoints);
  const rebuilds = await db.select().from(projectionRebuilds);
  const entries = [
    ...projections.map((p) => ({ name: p.name, checkpointName: p.name, kind: 'projection' as const, mode: p.mode })),
    ...reactors.map((r) => ({
      name: r.name,
      checkpointName: `reactor:${r.name}`,
      kind: 'reactor' as const,
      mode: 'async' as const,
    })),
  ];
  return Promise.all(
    entries.map(async (entry): Promise<ProjectionStatus> => {
      const rebuildRow = rebuilds.find((r) => r.name === entry.name);
      const rebuild = rebuildRow
        ? {
            status: rebuildRow.status,
            eventsDone: rebuildRow.eventsDone,
            eventsTotal: rebuildRow.eventsTotal,
            eventsPerSecond: rebuildRow.eventsPerSecond,
            startedAt: rebuildRow.startedAt,
            finishedAt: rebuildRow.finishedAt,
            error: rebuildRow.error,
          }
        : null;
      if (entry.mode === 'inline') {
        return {
          ...entry,
          position: head,
          headPosition: head,
          lag: 0,
          lagSeconds: 0,
          state: 'inline',
          workerId: null,
          lastError: null,
          rebuild,
        };
      }
      const row = checkpoints.find((c) => c.name === entry.checkpointName);
      const checkpoint = await readCheckpoint(db, entry.checkpointName);
      const [lagRow] = await queryRows<{ lag: string | number; oldest: Date | string | null }>(
        db,
        sql`select count(*) as lag, min(recorded_at) as oldest from events
            where (transaction_id, position) > (${checkpoint.transactionId}::xid8, ${checkpoint.position})`,
      );
      const lag = Number(lagRow?.lag ?? 0);
      const oldest = lagRow?.oldest ? new Date(lagRow.oldest) : null;
      const alive = row?.heartbeatAt ? Date.now() - row.heartbeatAt.getTime() < heartbeatTimeoutMs : false;
      const state: ProjectionStatus['state'] =
        rebuild?.status === 'running'
          ? 'rebuilding'
          : row?.lastError
            ? 'failed'
            : !alive
              ? 'stopped'
              : lag > 0
                ? 'running'
                : 'idle';
      return {
        ...entry,
        position: checkpoint.position,
        headPosition: head,
        lag,
        lagSeconds: oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0,
        state,
        workerId: row?.workerId ?? null,
        lastError: row?.lastError ?? null,
        rebuild,
      };
    }),
  );
}

export class ProjectionTimeoutError extends Error {
  readonly code = 'projection.timeout';
  constructor(
    readonly projection: string,
    readonly minPosition: number,
  ) {
    super(`the ${projection} read model did not reach position ${minPosition} in time; retry shortly`);
  }
}

/**
 * Read-your-writes: resolves once `projection` has applied the event at `minPosition`, or throws
 * {@link ProjectionTimeoutError} after `timeoutMs`. Inline projections are there as soon as the
 * event is visible; async ones when their checkpoint has passed it.
 */
export async function waitForProjection(
  database: Database,
  projection: AnyProjection,
  minPosition: number,
  timeoutMs = 5000,
): Promise<void> {
  const db = database.db;
  const reached = async () => {
    if (projection.mode === 'inline') {
      const [row] = await queryRows<{ seen: boolean }>(
        db,
        sql`select exists(select 1 from events where position >= ${minPosition}) as seen`,
      );
      return row?.seen ?? false;
    }
    return hasReached(db, await readCheckpoint(db, projection.name), minPosition);
  };
  if (await reached()) return;
  let wake: (() => void) | undefined;
  const unlisten = await database.listen(projectionsChannel, () => wake?.());
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(50, Math.max(1, deadline - Date.now())));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (await reached()) return;
    }
    throw new ProjectionTimeoutError(projection.name, minPosition);
  } finally {
    await unlisten();
  }
}
