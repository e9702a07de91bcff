import type { StrataDb } from '../connection.ts';
import { readStream, readStreamFromSnapshot, type SnapshotAndTail } from './read.ts';
import type { StoredEvent } from './types.ts';

export interface AggregateOptions<State> {
  initialState: () => State;
  evolve: (state: State, event: StoredEvent) => State;
  /** Start from the newest snapshot of this state version, when there is one. */
  snapshotStateVersion?: number | undefined;
  /** The state as it was at this version. */
  toVersion?: number | undefined;
  /** The state as it was at this time. */
  at?: Date | undefined;
}

export interface AggregateResult<State> {
  state: State;
  /** The version of the last event folded in (0 for a stream with no events). */
  version: number;
  /** The snapshot version the fold started from, if one was used. */
  fromSnapshot?: number | undefined;
}

/**
 * Loads a stream's state: the newest usable snapshot plus the events after it, folded with
 * `evolve`. With `toVersion` or `at` it is the state as it was then (time travel).
 */
export async function aggregateStream<State>(
  db: StrataDb,
  streamId: string,
  options: AggregateOptions<State>,
): Promise<AggregateResult<State>> {
  // A snapshot can't be trusted for a point in time: it does not know when its events happened.
  const fromSnapshot = options.snapshotStateVersion !== undefined && options.at === undefined;
  const { snapshot, events } = fromSnapshot
    ? await readStreamFromSnapshot<State>(db, streamId, {
        stateVersion: options.snapshotStateVersion ?? 1,
        toVersion: options.toVersion,
      })
    : {
        snapshot: undefined,
        events: await readStream(db, streamId, { toVersion: options.toVersion, until: options.at }),
      };
  return foldStream({ snapshot, events }, options);
}

/** Folds a loaded snapshot (if any) and the events after it into the state and its version. */
export function foldStream<State>(
  loaded: SnapshotAndTail<State>,
  options: Pick<AggregateOptions<State>, 'initialState' | 'evolve'>,
): AggregateResult<State> {
  const { snapshot, events } = loaded;
  let state = snapshot ? snapshot.state : options.initialState();
  let version = snapshot?.version ?? 0;
  for (const event of events) {
    state = options.evolve(state, event);
    version = event.version;
  }
  return { state, version, fromSnapshot: snapshot?.version };
}
