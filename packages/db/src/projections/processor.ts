import type { StrataDb } from '../connection.ts';
import type { StoredEvent } from '../store/types.ts';
import { type AnyProjection, liveTables } from './projection.ts';

/**
 * Runs after commit, from its own checkpoint, at least once per event (`eventId` is there for
 * de-duplication). Never re-run by a rebuild: rebuilds replay projections only.
 */
export interface AsyncReactor {
  name: string;
  eventTypes: readonly string[];
  handle(tx: StrataDb, events: readonly StoredEvent[]): Promise<void>;
}

/** What a worker runs from a checkpoint: an async projection's live tables, or a reactor. */
export interface EventProcessor {
  /** The checkpoint's name: the projection's, or `reactor:<name>`. */
  checkpointName: string;
  eventTypes: readonly string[];
  apply(tx: StrataDb, events: readonly StoredEvent[]): Promise<void>;
}

export function projectionProcessor(projection: AnyProjection): EventProcessor {
  return {
    checkpointName: projection.name,
    eventTypes: projection.eventTypes,
    apply: (tx, events) => projection.apply(tx, events, liveTables(projection)),
  };
}

export function reactorProcessor(reactor: AsyncReactor): EventProcessor {
  return { checkpointName: `reactor:${reactor.name}`, eventTypes: reactor.eventTypes, apply: reactor.handle };
}
