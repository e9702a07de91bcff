import { type SQL, sql } from 'drizzle-orm';
import type { StrataDb } from '../connection.ts';
import { vaultOf } from '../personal-data/vault-of.ts';
import { queryRows, runPrepared } from '../sql-rows.ts';
import { regroup } from './regroup.ts';
import { type Checkpoint, type StoredEvent, startOfLog } from './types.ts';

interface EventRow {
  position: string | number;
  transaction_id: string;
  stream_id: string;
  stream_type: string;
  version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: StoredEvent['metadata'];
  recorded_at: Date | string;
}

// `transaction_id` leaves as text (xid8 can exceed 2^53); ORDER BY must name `events.transaction_id`
// or it would sort that text output, putting xid 1001 before 755.
const eventColumnList =
  'position, transaction_id::text as transaction_id, stream_id, stream_type, version, event_id, type, schema_version, data, metadata, recorded_at';
const eventColumns = sql.raw(eventColumnList);

/** Every reader's events come out with their personal fields opened (or erased): see PersonalDataVault. */
function opened(db: StrataDb, events: StoredEvent[]): Promise<StoredEvent[]> {
  return vaultOf(db).open(db, events);
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: Number(row.position),
    transactionId: row.transaction_id,
    streamId: row.stream_id,
    streamType: row.stream_type,
    version: row.version,
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
  };
}

export interface ReadStreamOptions {
  /** First version to return (default 1). */
  fromVersion?: number | undefined;
  /** Last version to return (default: the newest). */
  toVersion?: number | undefined;
  /** Only events recorded at or before this time. */
  until?: Date | undefined;
}

/** Reads one stream's events, oldest first. */
export async function readStream(
  db: StrataDb,
  streamId: string,
  options: ReadStreamOptions = {},
): Promise<StoredEvent[]> {
  const conditions: SQL[] = [sql`stream_id = ${streamId}`];
  if (options.fromVersion !== undefined) conditions.push(sql`version >= ${options.fromVersion}`);
  if (options.toVersion !== undefined) conditions.push(sql`version <= ${options.toVersion}`);
  if (options.until !== undefined) conditions.push(sql`recorded_at <= ${options.until.toISOString()}::timestamptz`);
  const rows = await queryRows<EventRow>(
    db,
    sql`select ${eventColumns} from events where ${sql.join(conditions, sql` and `)} order by version`,
  );
  return await opened(db, rows.map(toStoredEvent));
}

/** One stream to load from its newest snapshot: see {@link readStreamsFromSnapshots}. */
export interface SnapshotRead {
  streamId: string;
  /** The state shape whose snapshots count; undefined: no snapshot, every event. */
  stateVersion?: number | undefined;
  /** Load the stream as it was at this version. */
  toVersion?: number | undefined;
}

export interface SnapshotAndTail<State> {
  snapshot: { version: number; state: State } | undefined;
  events: StoredEvent[];
}

const snapshotAndTail = `select r.n, s.version as snapshot_version, s.state as snapshot_state, e.*
  from unnest($1::text[], $2::int[], $3::int[]) with ordinality as r(stream_id, state_version, to_version, n)
  left join lateral (
    select version, state from snapshots
     where stream_id = r.stream_id and state_version = r.state_version
       and (r.to_version is null or version <= r.to_version)
     order by version desc limit 1) s on true
  left join lateral (
    select ${eventColumnList} from events
     where stream_id = r.stream_id and version > coalesce(s.version, 0)
       and (r.to_version is null or version <= r.to_version)) e on true
 order by r.n, e.version`;

/**
 * The newest snapshot of each stream (of its state shape, at or before `toVersion`) and the events
 * after it, for any number of streams in one prepared statement: what loading the aggregates of
 * commands needs, in one round trip however many streams.
 */
export async function readStreamsFromSnapshots<State>(
  db: StrataDb,
  reads: readonly SnapshotRead[],
): Promise<SnapshotAndTail<State>[]> {
  const rows = await runPrepared<
    Partial<EventRow> & { n: string | number; snapshot_version: number | null; snapshot_state: unknown }
  >(db, snapshotAndTail, [
    reads.map((r) => r.streamId),
    reads.map((r) => r.stateVersion ?? null),
    reads.map((r) => r.toVersion ?? null),
  ]);
  const loaded: SnapshotAndTail<State>[] = reads.map(() => ({ snapshot: undefined, events: [] }));
  for (const row of rows) {
    const target = loaded[Number(row.n) - 1];
    if (!target) continue;
    if (!target.snapshot && row.snapshot_version !== null && row.snapshot_version !== undefined) {
      target.snapshot = { version: Number(row.snapshot_version), state: row.snapshot_state as State };
    }
    if (row.position !== null && row.position !== undefined) target.events.push(toStoredEvent(row as EventRow));
  }
  const events = await opened(
    db,
    loaded.flatMap((l) => l.events),
  );
  const grouped = regroup(
    loaded.map((l) => l.events),
    events,
  );
  return loaded.map((l, i) => ({ ...l, events: grouped[i] ?? [] }));
}

/** One stream's newest snapshot and the events after it; see {@link readStreamsFromSnapshots}. */
export async function readStreamFromSnapshot<State>(
  db: StrataDb,
  streamId: string,
  options: { stateVersion: number; toVersion?: number | undefined },
): Promise<SnapshotAndTail<State>> {
  const [loaded] = await readStreamsFromSnapshots<State>(db, [{ streamId, ...options }]);
  return loaded ?? { snapshot: undefined, events: [] };
}

export interface ReadAllOptions {
  after?: Checkpoint | undefined;
  limit?: number | undefined;
  /** Narrow the read; the checkpoint still advances in commit order. */
  streamType?: string | undefined;
  streamId?: string | undefined;
  type?: string | undefined;
  types?: readonly string[] | undefined;
  actorId?: string | undefined;
  /**
   * Every committed event, without waiting for older transactions still running. Only safe while
   * a lock keeps those transactions from having written what the reader cares about (a rebuild's
   * final step); everyone else must leave this off.
   */
  includeLateCommits?: boolean | undefined;
}

export interface ReadAllResult {
  events: StoredEvent[];
  /** Where to continue from: the last event returned, or `after` when nothing was. */
  checkpoint: Checkpoint;
}

/**
 * Reads the whole log after a checkpoint in commit-safe order: only events whose transaction
 * ended before the oldest one still running here (`strata_commit_horizon`, which passes over the
 * cluster's other databases), ordered by (transaction id, position). An
 * event that takes a position and commits late is returned once it commits — never skipped,
 * never returned twice.
 */
export async function readAll(db: StrataDb, options: ReadAllOptions = {}): Promise<ReadAllResult> {
  const after = options.after ?? startOfLog;
  const limit = Math.max(1, Math.min(options.limit ?? 1000, 10_000));
  if (options.types?.length === 0) return { events: [], checkpoint: after };
  const conditions = [
    ...filterConditions(options),
    sql`(transaction_id, position) > (${after.transactionId}::xid8, ${after.position})`,
  ];
  if (!options.includeLateCommits) conditions.push(sql`transaction_id < (select strata_commit_horizon())`);
  const rows = await queryRows<EventRow>(
    db,
    sql`select ${eventColumns} from events where ${sql.join(conditions, sql` and `)}
        order by events.transaction_id, events.position limit ${limit}`,
  );
  const events = await opened(db, rows.map(toStoredEvent));
  const last = events.at(-1);
  return { events, checkpoint: last ? { transactionId: last.transactionId, position: last.position } : after };
}

/**
 * The checkpoint just after the event at `position`, for readers that only kept a position (a
 * mutation result, a client resuming a subscription). Position 0 is the start of the log.
 */
export async function checkpointAt(db: StrataDb, position: number): Promise<Checkpoint> {
  if (position <= 0) return startOfLog;
  const [row] = await queryRows<{ transaction_id: string }>(
    db,
    sql`select transaction_id::text as transaction_id from events where position = ${position}`,
  );
  if (!row) throw new RangeError(`no event at position ${position}`);
  return { transactionId: row.transaction_id, position };
}

/**
 * "From now on": a checkpoint after every transaction that has finished, so a reader starting
 * here gets each event committed from now (and any committed a moment ago, late) exactly once.
 */
export async function currentCheckpoint(db: StrataDb): Promise<Checkpoint> {
  const [row] = await queryRows<{ horizon: string }>(db, sql`select strata_commit_horizon()::text as horizon`);
  return { transactionId: String(BigInt(row?.horizon ?? '1') - 1n), position: Number.MAX_SAFE_INTEGER };
}

/**
 * Are there committed events after `checkpoint` (matching the same filters as {@link readAll}),
 * safe to read yet or not?
 */
export async function hasEventsAfter(
  db: StrataDb,
  checkpoint: Checkpoint,
  filters: Omit<ReadAllOptions, 'after' | 'limit'> = {},
): Promise<boolean> {
  const conditions = [
    ...filterConditions(filters),
    sql`(transaction_id, position) > (${checkpoint.transactionId}::xid8, ${checkpoint.position})`,
  ];
  const [row] = await queryRows<{ found: boolean }>(
    db,
    sql`select exists(select 1 from events where ${sql.join(conditions, sql` and `)}) as found`,
  );
  return row?.found ?? false;
}

function filterConditions(options: Omit<ReadAllOptions, 'after' | 'limit'>): SQL[] {
  const conditions: SQL[] = [];
  if (options.streamType) conditions.push(sql`stream_type = ${options.streamType}`);
  if (options.streamId) conditions.push(sql`stream_id = ${options.streamId}`);
  if (options.type) conditions.push(sql`type = ${options.type}`);
  if (options.types)
    conditions.push(
      sql`type in (${sql.join(
        options.types.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  if (options.actorId) conditions.push(sql`metadata->>'actorId' = ${options.actorId}`);
  return conditions;
}

/** The highest position written so far (0 for an empty log). */
export async function headPosition(db: StrataDb): Promise<number> {
  const [row] = await queryRows<{ head: string | number | null }>(db, sql`select max(position) as head from events`);
  return Number(row?.head ?? 0);
}

/** Has the reader at `checkpoint` already seen the event at `position`? */
export async function hasReached(db: StrataDb, checkpoint: Checkpoint, position: number): Promise<boolean> {
  if (position <= 0) return true;
  const [row] = await queryRows<{ reached: boolean }>(
    db,
    sql`select (transaction_id, position) <= (${checkpoint.transactionId}::xid8, ${checkpoint.position}) as reached
          from events where position = ${position}`,
  );
  return row?.reached ?? false;
}

export interface BrowseEventsOptions {
  afterPosition?: number | undefined;
  beforePosition?: number | undefined;
  direction?: 'forward' | 'backward' | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  streamType?: string | undefined;
  streamId?: string | undefined;
  type?: string | undefined;
  actorId?: string | undefined;
  limit?: number | undefined;
}

/**
 * Committed events by position, either way, filtered by stream, type, actor and time: for people
 * browsing the log. Readers that must not miss an event use {@link readAll} or `subscribe`.
 */
export async function browseEvents(db: StrataDb, options: BrowseEventsOptions = {}): Promise<StoredEvent[]> {
  const conditions: SQL[] = [sql`true`];
  if (options.afterPosition !== undefined) conditions.push(sql`position > ${options.afterPosition}`);
  if (options.beforePosition !== undefined) conditions.push(sql`position < ${options.beforePosition}`);
  if (options.streamType) conditions.push(sql`stream_type = ${options.streamType}`);
  if (options.streamId) conditions.push(sql`stream_id = ${options.streamId}`);
  if (options.type) conditions.push(sql`type = ${options.type}`);
  if (options.actorId) conditions.push(sql`metadata->>'actorId' = ${options.actorId}`);
  if (options.from) conditions.push(sql`recorded_at >= ${options.from.toISOString()}::timestamptz`);
  if (options.to) conditions.push(sql`recorded_at <= ${options.to.toISOString()}::timestamptz`);
  const order = options.direction === 'backward' ? sql`desc` : sql`asc`;
  const limit = Math.max(1, Math.min(options.limit ?? 100, 1000));
  const rows = await queryRows<EventRow>(
    db,
    sql`select ${eventColumns} from events where ${sql.join(conditions, sql` and `)} order by position ${order} limit ${limit}`,
  );
  return await opened(db, rows.map(toStoredEvent));
}
