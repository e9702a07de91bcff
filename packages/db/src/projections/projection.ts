import type { ProjectedEventContext, RowEventContext } from '@strata/domain';
import type { StrataDb } from '../connection.ts';
import type { StoredEvent } from '../store/types.ts';
import type { RowProjectionSpec } from './row-projection.ts';

/**
 * A read model: the event types it handles, the tables it writes (made by a factory so a
 * rebuild can fill fresh copies) and how a batch of events changes them. Inline projections are
 * row projections (see defineRowProjection) written by the append's own statement; async ones run
 * in a worker that keeps a checkpoint.
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
  /** Inline projections: how events become row changes, written in the append's own statement. */
  // biome-ignore lint/suspicious/noExplicitAny: the registry holds row projections of every row shape
  rows?: RowProjectionSpec<any>;
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

/** What a row projector sees of a stored event. */
export function rowEventContext(
  event: Pick<StoredEvent, 'streamId' | 'version' | 'recordedAt' | 'metadata'>,
): RowEventContext {
  return {
    streamId: event.streamId,
    version: event.version,
    recordedAt: event.recordedAt,
    actorId: typeof event.metadata.actorId === 'string' ? event.metadata.actorId : null,
  };
}

/** What a pure projector needs besides the event. */
export function projectedEventContext(event: StoredEvent): ProjectedEventContext {
  return { ...rowEventContext(event), position: event.position };
}
