import { and, desc, eq, lte } from 'drizzle-orm';
import type { StrataDb } from '../connection.ts';
import { snapshots } from '../schema/events.ts';
import { runPrepared } from '../sql-rows.ts';

export interface Snapshot<State> {
  streamId: string;
  version: number;
  /** The shape of `state`; a snapshot of another shape is ignored on load. */
  stateVersion: number;
  state: State;
}

/**
 * Stores the state of a stream at its current version, unless the stream has moved on meanwhile:
 * what the command runner saves after a command. Taken after the commit, such a snapshot could
 * otherwise land after a later event that must not be undone by it — `UserForgotten` drops the
 * person's snapshots, and one written after that drop would bring their data back. The share lock
 * on the stream's row waits for a writer of the stream in flight (a forget commits first, then
 * this finds a newer version and stores nothing).
 */
export async function saveSnapshotIfCurrent<State>(db: StrataDb, snapshot: Snapshot<State>): Promise<void> {
  await runPrepared(db, saveIfCurrent, [
    snapshot.streamId,
    snapshot.version,
    snapshot.stateVersion,
    JSON.stringify(snapshot.state),
  ]);
}

const saveIfCurrent = `insert into snapshots (stream_id, version, state_version, state)
select stream_id, version, $3::int, $4::jsonb from streams where stream_id = $1 and version = $2::int for share
on conflict (stream_id, version) do update set state = excluded.state, state_version = excluded.state_version`;

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
