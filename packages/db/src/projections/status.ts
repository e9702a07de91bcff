import { sql } from 'drizzle-orm';
import type { Database, StrataDb } from '../connection.ts';
import { projectionRebuilds } from '../schema/projections.ts';
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

/** An async processor's checkpoint row and the events committed after it. */
interface Standing {
  position: number;
  workerId: string | null;
  heartbeatAt: Date | null;
  lastError: string | null;
  lag: number;
  oldest: Date | null;
}

const toDate = (value: Date | string | null) => (value === null ? null : new Date(value));

/**
 * The standing of every named checkpoint in one statement, however many there are: each lag is
 * a range of the commit-order index after its checkpoint. A processor that never ran has no row
 * yet and stands at the start, as {@link readCheckpoint} would say.
 */
async function readStandings(db: StrataDb, checkpointNames: readonly string[]): Promise<Map<string, Standing>> {
  if (checkpointNames.length === 0) return new Map();
  const names = sql.join(
    checkpointNames.map((name) => sql`(${name}::text)`),
    sql`, `,
  );
  const rows = await queryRows<{
    name: string;
    position: string | number;
    worker_id: string | null;
    heartbeat_at: Date | string | null;
    last_error: string | null;
    lag: string | number;
    oldest: Date | string | null;
  }>(
    db,
    sql`select n.name, coalesce(c.position, 0) as position, c.worker_id, c.heartbeat_at, c.last_error,
               behind.lag, behind.oldest
          from (values ${names}) as n(name)
          left join projection_checkpoints c on c.name = n.name
          cross join lateral (
            select count(*) as lag, min(e.recorded_at) as oldest from events e
             where (e.transaction_id, e.position) > (coalesce(c.transaction_id, '0'::xid8), coalesce(c.position, 0))
          ) behind`,
  );
  return new Map(
    rows.map((row) => [
      row.name,
      {
        position: Number(row.position),
        workerId: row.worker_id,
        heartbeatAt: toDate(row.heartbeat_at),
        lastError: row.last_error,
        lag: Number(row.lag),
        oldest: toDate(row.oldest),
      },
    ]),
  );
}

/**
 * Position, lag, state and rebuild progress of every projection and reactor, in three queries
 * whatever their number.
 */
export async function projectionStatuses(
  database: Database,
  projections: readonly AnyProjection[],
  reactors: readonly AsyncReactor[] = [],
): Promise<ProjectionStatus[]> {
  const db = database.db;
  const entries = [
    ...projections.map((p) => ({ name: p.name, checkpointName: p.name, kind: 'projection' as const, mode: p.mode })),
    ...reactors.map((r) => ({
      name: r.name,
      checkpointName: `reactor:${r.name}`,
      kind: 'reactor' as const,
      mode: 'async' as const,
    })),
  ];
  const head = await headPosition(db);
  const rebuilds = await db.select().from(projectionRebuilds);
  const standings = await readStandings(
    db,
    entries.filter((e) => e.mode === 'async').map((e) => e.checkpointName),
  );
  return entries.map((entry): ProjectionStatus => {
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
    // readStandings answers a row for every name it is given.
    const standing = standings.get(entry.checkpointName)!;
    const { lag, oldest, heartbeatAt, lastError } = standing;
    const alive = heartbeatAt ? Date.now() - heartbeatAt.getTime() < heartbeatTimeoutMs : false;
    const state: ProjectionStatus['state'] =
      rebuild?.status === 'running'
        ? 'rebuilding'
        : lastError
          ? 'failed'
          : !alive
            ? 'stopped'
            : lag > 0
              ? 'running'
              : 'idle';
    return {
      ...entry,
      position: standing.position,
      headPosition: head,
      lag,
      lagSeconds: oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0,
      state,
      workerId: standing.workerId,
      lastError,
      rebuild,
    };
  });
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
