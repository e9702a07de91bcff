import { and, desc, eq, lte } from 'drizzle-orm';
import type { StrataDb } from '../connection.ts';
import { snapshots } from '../schema/events.ts';

export interface Snapshot<State> {
  streamId: string;
  version: number;
  /** The shape of `state`; a snapshot of another shape is ignored on load. */
  stateVersion: number;
  state: State;
}

/** Stores a stream's state at a version. Saving the same version twice keeps the newer state. */
export async function saveSnapshot<State>(db: StrataDb, snapshot: Snapshot<State>): Promise<void> {
  await db
    .insert(snapshots)
    .values({ ...snapshot, state: snapshot.state as object })
    .onConflictDoUpdate({
      target: [snapshots.streamId, snapshots.version],
      set: { state: snapshot.state as object, stateVersion: snapshot.stateVersion },
    });
}

/** The newest snapshot of `stateVersion` at or below `maxVersion`, if any. */
export async function loadSnapshot<State>(
  db: StrataDb,
  streamId: string,
  options: { stateVersion: number; maxVersion?: number | undefined },
): Promise<Snapshot<State> | undefined> {
  const conditions = [eq(snapshots.streamId, streamId), eq(snapshots.stateVersion, options.stateVersion)];
  if (options.maxVersion !== undefined) conditions.push(lte(snapshots.version, options.maxVersion));
  const [row] = await db
    .select()
    .from(snapshots)
    .where(and(...conditions))
    .orderBy(desc(snapshots.version))
    .limit(1);
  if (!row) return undefined;
  return { streamId: row.streamId, version: row.version, stateVersion: row.stateVersion, state: row.state as State };
}
