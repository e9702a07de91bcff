import type { ProjectedEventContext } from '@strata/domain';
import { sql } from 'drizzle-orm';
import type { StrataDb } from '../connection.ts';
import type { StoredEvent } from '../store/types.ts';

/**
 * A read model: the event types it handles, the tables it writes (made by a factory so a
 * rebuild can fill fresh copies) and how a batch of events changes them. Inline projections run
 * in the append's transaction; async ones in a worker that keeps a checkpoint.
 */
export interface Projection<Tables = unknown> {
  name: string;
  mode: 'inline' | 'async';
  eventTypes: readonly string[];
  /** The live tables for `suffix` ''; a rebuild asks for another suffix. */
  tables(suffix: string): Tables;
  /** Table names per suffix, for creating and swapping rebuild copies. */
  tableNames: readonly string[];
  apply(tx: StrataDb, events: readonly StoredEvent[], tables: Tables): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds projections of every table shape
export type AnyProjection = Projection<any>;

export function defineProjection<Tables>(projection: Projection<Tables>): Projection<Tables> {
  return projection;
}

const liveTablesCache = new WeakMap<AnyProjection, unknown>();

/**
 * A projection's live tables, built once: every append with an inline projection asks for them,
 * and building Drizzle table objects each time cost more than the write they describe.
 */
export function liveTables<Tables>(projection: Projection<Tables>): Tables {
  if (!liveTablesCache.has(projection)) liveTablesCache.set(projection, projection.tables(''));
  return liveTablesCache.get(projection) as Tables;
}

/** What a pure projector needs besides the event. */
export function projectedEventContext(event: StoredEvent): ProjectedEventContext {
  return {
    streamId: event.streamId,
    version: event.version,
    position: event.position,
    recordedAt: event.recordedAt,
    actorId: typeof event.metadata.actorId === 'string' ? event.metadata.actorId : null,
  };
}

/** The lock inline writers share and a rebuild takes alone while it swaps tables in. */
export const inlineProjectionLock = (name: string) => sql`hashtextextended(${`strata:inline:${name}`}, 0)`;

/**
 * Runs every inline projection that handles some of `events`, inside the caller's transaction.
 * Each holds its projection's lock shared until commit, so a rebuild can wait for writers in
 * flight and then swap tables without losing their rows.
 */
export async function applyInlineProjections(
  tx: StrataDb,
  projections: readonly AnyProjection[],
  events: readonly StoredEvent[],
): Promise<void> {
  const work = projections
    .filter((projection) => projection.mode === 'inline')
    .map((projection) => ({ projection, handled: events.filter((e) => projection.eventTypes.includes(e.type)) }))
    .filter(({ handled }) => handled.length > 0);
  if (work.length === 0) return;
  // Every lock in one round trip, before any row is written.
  const locks = work.map(
    ({ projection }) => sql`pg_advisory_xact_lock_shared(${inlineProjectionLock(projection.name)})`,
  );
  await tx.execute(sql`select ${sql.join(locks, sql`, `)}`);
  for (const { projection, handled } of work) await projection.apply(tx, handled, liveTables(projection));
}
