import { randomUUID } from 'node:crypto';
import {
  type Decider,
  DomainError,
  type DomainEvent,
  decidePlan,
  type EventCatalog,
  isReadingPlan,
  type LoadedStream,
  type Plan,
  type PlanDecision,
  type StreamRead,
  streamRead,
} from '@strata/domain';
import DataLoader from 'dataloader';
import { eq, sql } from 'drizzle-orm';
import type { Database, StrataDb } from '../connection.ts';
import { MissingDataKeysError } from '../personal-data/vault.ts';
import { type AnyProjection, rowEventContext } from '../projections/projection.ts';
import { mergeRowChanges, type RowChange } from '../projections/row-changes.ts';
import { type RowTable, rowTableOf, type WireRowChange, wireRowChanges } from '../projections/row-writes.ts';
import { commandResults } from '../schema/events.ts';
import { queryRows } from '../sql-rows.ts';
import { foldStream } from '../store/aggregate.ts';
import { announceAppended } from '../store/announce.ts';
import { appendToStreams } from '../store/append.ts';
import { createRowWriter, recordedAtPlaceholder } from '../store/append-batch.ts';
import { isRetryableAppendError, WrongExpectedVersionError } from '../store/errors.ts';
import { readStreamsFromSnapshots, type SnapshotAndTail, type SnapshotRead } from '../store/read.ts';
import { saveSnapshotIfCurrent } from '../store/snapshots.ts';
import type { AppendResult, EventMetadata, StoredEvent } from '../store/types.ts';
import { createStateCache } from './state-cache.ts';
import { createStreamTurns } from './stream-turns.ts';

/**
 * Runs inside the append's transaction after inline projections; throwing vetoes the append.
 * A runner with sync reactors gives each command a transaction of its own (no group commit).
 */
export type SyncReactor = (tx: StrataDb, events: readonly StoredEvent[]) => Promise<void>;

export interface CommandRunnerOptions {
  database: Database;
  /** Decodes (and upcasts) stored events for every decider. */
  catalog: EventCatalog<DomainEvent>;
  projections?: readonly AnyProjection[];
  syncReactors?: readonly SyncReactor[];
  /** Attempts when the loaded version went stale and the caller gave none (default 10). */
  maxAttempts?: number;
  /** Snapshot a stream each time its version passes a multiple of this (0: never). */
  snapshotEvery?: number;
}

export interface RunOptions {
  commandId?: string | undefined;
  metadata?: EventMetadata;
}

export interface CommandResult {
  /** The primary stream of the command. */
  streamId: string;
  version: number;
  /** The global position of the last event written (or of the stream's last event if none was). */
  position: number;
  /** True when this command id had already committed: the first result, nothing written. */
  duplicate: boolean;
  streams: AppendResult['streams'];
  /**
   * What this run appended to the primary stream, as decided: a caller can answer from them
   * without reading back. Empty for a duplicate (it appended nothing; the first run's events are
   * in the store) and for a command that appended nothing.
   */
  events: DomainEvent[];
  /** When the events were recorded (for a duplicate: the first run's); none if nothing was appended. */
  recordedAt?: Date | undefined;
}

/**
 * The one command path: load each stream (snapshot + tail), decide (the kernel's `decidePlan`),
 * compute the inline read models' row changes, and append every stream's events with expected
 * versions and those changes in one statement (shared with concurrent commands by the group commit
 * queue); retry from scratch when a version the caller did not pin went stale.
 */
export function createCommandRunner(options: CommandRunnerOptions) {
  const { database, catalog } = options;
  const maxAttempts = options.maxAttempts ?? 10;
  const snapshotEvery = options.snapshotEvery ?? 0;
  const syncReactors = options.syncReactors ?? [];
  const inline = inlineRowProjections(options.projections ?? []);
  const rowWriter = inline.length > 0 ? createRowWriter(inline.map((p) => p.table)) : undefined;
  const turns = createStreamTurns();
  const stateCache = createStateCache();

  // Loads asked for in the same turn of the event loop (a plan's reads, and other commands') go
  // to the database together: one statement, one round trip.
  const streamLoader = new DataLoader<SnapshotRead, SnapshotAndTail<unknown>>(
    (reads) => readStreamsFromSnapshots(database.db, reads),
    { cache: false, maxBatchSize: 64, batchScheduleFn: (send) => setImmediate(send) },
  );

  /**
   * A stream's state: cached, presumed new (`presume`, on a first try), or loaded. `cached` collects
   * the streams whose state did not come from the database, for the check after deciding.
   */
  async function load(db: StrataDb, read: StreamRead, cached?: Set<string>, presume = false): Promise<LoadedStream> {
    const { decider } = read;
    // Only the shared way reads the cache: a transaction must see (and lock) what is committed.
    const shared = db === database.db;
    const hit = shared && cached ? stateCache.get(read.streamId, decider) : undefined;
    if (hit) {
      cached?.add(read.streamId);
      return hit;
    }
    if (shared && cached && presume && read.presumedNew) {
      cached.add(read.streamId);
      return { state: decider.initialState(), version: 0 };
    }
    const request = {
      streamId: read.streamId,
      stateVersion: snapshotEvery > 0 ? (decider.stateVersion ?? 1) : undefined,
    };
    // In a transaction, the load must see (and wait on) what the transaction holds.
    const loaded =
      db === database.db
        ? await streamLoader.load(request)
        : ((await readStreamsFromSnapshots(db, [request]))[0] ?? { snapshot: undefined, events: [] });
    const { state, version } = foldStream(loaded, {
      initialState: decider.initialState,
      evolve: (s, e) => decider.evolve(s, catalog.decode(e)),
    });
    if (shared) stateCache.set(read.streamId, decider, { state, version });
    return { state, version };
  }

  async function firstResult(commandId: string): Promise<CommandResult | undefined> {
    const [row] = await database.db.select().from(commandResults).where(eq(commandResults.commandId, commandId));
    if (!row || row.result === null) return undefined;
    return toCommandResult(row.result as AppendResult, true);
  }

  /**
   * Decides the plan from streams loaded through `readDb`, then writes: the append, inline
   * projections and sync reactors in one transaction (`inTransaction`, or a new one).
   */
  async function decideAndWrite<PrimaryState>(
    readDb: StrataDb,
    inTransaction: StrataDb | undefined,
    plan: Plan<PrimaryState>,
    run: RunOptions,
    touched: Set<string>,
    presume: boolean,
  ) {
    const loaded = new Map<string, { read: StreamRead; stream: LoadedStream }>();
    const decide = (cached: Set<string> | undefined) => {
      loaded.clear();
      return decidePlan(plan, async (read) => {
        touched.add(read.streamId);
        const stream = await load(readDb, read, cached, presume);
        loaded.set(read.streamId, { read, stream });
        return stream;
      });
    };
    const cached = new Set<string>();
    let decision: Awaited<ReturnType<typeof decidePlan>> | undefined;
    try {
      decision = await decide(cached);
    } catch (error) {
      if (cached.size === 0 || !(error instanceof DomainError)) throw error;
    }
    // A refusal, a no-op or a stream only read, on a state another process may have changed since
    // it was cached (or that was presumed new), is checked by nothing: decide those again on what
    // the database holds.
    if (!decision || (cached.size > 0 && !appendsEveryCachedStream(decision, cached, loaded))) {
      stateCache.evict(cached);
      decision = await decide(undefined);
    }
    if (decision.appends.length === 0) return { decision, loaded, result: undefined };
    const metadata: EventMetadata = { ...run.metadata, ...(run.commandId ? { commandId: run.commandId } : {}) };
    const plain = decision.appends.map((a) => ({
      streamId: a.streamId,
      streamType: a.streamType,
      expectedVersion: a.expectedVersion,
      events: a.events.map((e) => ({ eventId: randomUUID(), ...catalog.encode(e, a.streamId), metadata })),
    }));
    // Read models and reactors see the events as decided; the append seals their personal fields.
    const rows = rowWriter && { writer: rowWriter, changes: rowChangesOf(inline, plain) };
    const streams = plain.map((s) => ({ ...s, events: s.events.map(({ forgets: _, ...event }) => event) }));
    const forgotten = plain.flatMap((s) => s.events.flatMap((e) => (e.forgets ? [e.forgets] : [])));
    // Alone, the append and its inline rows are one statement: the group commit queue sends it
    // beside other commands' and they share the round trip and the commit. On PostgreSQL the
    // statement NOTIFYs, delivered with the commit.
    const notifyInTransaction = database.engine === 'postgres';
    const writeIn = async (tx: StrataDb) => {
      const appended = await appendToStreams(tx, { commandId: run.commandId, streams }, { notifyInTransaction, rows });
      if (appended.duplicate) return appended;
      // Forgetting a person deletes their data key with the event that says so, or neither happens.
      for (const subject of forgotten) await database.personalData.forget(tx, subject);
      const stored = storedEventsOf(plain, appended);
      for (const reactor of syncReactors) await reactor(tx, stored);
      return appended;
    };
    const ownTransaction = inTransaction !== undefined || syncReactors.length > 0 || forgotten.length > 0;
    // In a transaction the append must be the first write, so new people's data keys come first.
    if (ownTransaction && !inTransaction) await database.personalData.ensureKeys(database.db, subjectsOf(plain));
    const result = inTransaction
      ? await writeIn(inTransaction)
      : ownTransaction
        ? await database.db.transaction(writeIn)
        : await appendToStreams(database.db, { commandId: run.commandId, streams }, { rows });
    // PGlite's listeners are called in process; the group commit queue calls them for its own.
    if (ownTransaction && !result.duplicate && database.engine !== 'postgres') announceAppended(database.db);
    return { decision, loaded, result };
  }

  /**
   * One try. The first tries go the shared way: loads and appends batched with other commands',
   * no transaction of their own. After {@link optimisticAttempts} conflicts (`lock`: the streams
   * the failed tries touched) a try locks those streams first and decides inside a transaction, so
   * racing writers of a hot stream queue behind each other instead of deciding on the same version
   * again and again.
   */
  async function attempt<PrimaryState>(
    plan: Plan<PrimaryState>,
    run: RunOptions,
    lock: readonly string[] | undefined,
    touched: Set<string>,
    presume: boolean,
  ): Promise<CommandResult> {
    const db = database.db;
    const { decision, loaded, result } = lock
      ? await db.transaction(async (tx) => {
          await lockStreams(tx, lock);
          return decideAndWrite(tx, tx, plan, run, touched, false);
        })
      : await decideAndWrite(db, undefined, plan, run, touched, presume);
    const primary = loaded.get(decision.primaryStreamId)?.stream ?? { state: undefined, version: 0 };
    if (!result) {
      const position = await lastPositionOf(db, decision.primaryStreamId);
      const { primaryStreamId: streamId } = decision;
      return { streamId, version: primary.version, position, duplicate: false, streams: [], events: [] };
    }
    if (result.duplicate) stateCache.evict(touched);
    else {
      // Each stream's state after its events, folded once for the cache and the snapshot.
      const written = decision.appends.map((a) => {
        const { read, stream } = loaded.get(a.streamId)!;
        const after = a.events.reduce((s, e) => read.decider.evolve(s, e), stream.state);
        return { ...a, read, stream, after };
      });
      rememberWritten(written, result);
      if (snapshotEvery > 0) await snapshotIfDue(written, result);
    }
    const events = result.duplicate
      ? []
      : (decision.appends.find((a) => a.streamId === decision.primaryStreamId)?.events ?? []);
    return {
      ...toCommandResult(result, result.duplicate, { streamId: decision.primaryStreamId, version: primary.version }),
      events,
    };
  }

  /**
   * The states the streams reached with this command's events, for the next command on them. Only
   * where the events follow the state they were decided on: an append at a caller's pinned version
   * other than the loaded one landed on a state this process did not see, and the cache must never
   * hold a state that merely has the right version number.
   */
  function rememberWritten(written: WrittenStream[], result: AppendResult) {
    for (const w of written) {
      const appended = result.streams.find((s) => s.streamId === w.streamId);
      if (!appended || w.expectedVersion !== w.stream.version) {
        stateCache.evict([w.streamId]);
        continue;
      }
      stateCache.set(w.streamId, w.read.decider, { state: w.after, version: appended.version });
    }
  }

  async function snapshotIfDue(written: WrittenStream[], result: AppendResult) {
    for (const w of written) {
      const appended = result.streams.find((s) => s.streamId === w.streamId);
      if (!appended || Math.floor(appended.version / snapshotEvery) === Math.floor(w.stream.version / snapshotEvery))
        continue;
      // Best effort: a lost snapshot only costs a longer fold next time.
      await saveSnapshotIfCurrent(database.db, {
        streamId: w.streamId,
        version: appended.version,
        stateVersion: w.read.decider.stateVersion ?? 1,
        state: w.after,
      }).catch(() => undefined);
    }
  }

  async function runWithRetries<PrimaryState>(
    plan: Plan<PrimaryState>,
    run: RunOptions,
    pinnedStream: string | undefined,
    touched: Set<string>,
  ): Promise<CommandResult> {
    for (let attemptNo = 1; ; attemptNo++) {
      try {
        // Only a first try presumes new streams new: a conflict may be the guess proved wrong.
        const lock = attemptNo > optimisticAttempts ? [...touched] : undefined;
        const result = await attempt(plan, run, lock, touched, attemptNo === 1);
        // Nothing to write may mean a twin of this command committed after the check above and
        // the plan was decided on its outcome: then the answer is the twin's.
        if (run.commandId && result.streams.length === 0) return (await firstResult(run.commandId)) ?? result;
        return result;
      } catch (error) {
        // Whatever this try loaded may be what went stale.
        stateCache.evict(touched);
        // Likewise a refusal: a twin that committed first (an order placed) explains it.
        if (run.commandId && error instanceof DomainError) {
          const first = await firstResult(run.commandId);
          if (first) return first;
        }
        // A locked try that met a new person: their data key is made outside its transaction.
        if (error instanceof MissingDataKeysError && attemptNo < maxAttempts) {
          await database.personalData.ensureKeys(database.db, error.subjects);
          continue;
        }
        // A lost race (a deadlock, the same command id committed elsewhere first) rolled everything back.
        const retryable = error instanceof WrongExpectedVersionError || isRetryableAppendError(error);
        if (!retryable || attemptNo >= maxAttempts) throw error;
        if (error instanceof WrongExpectedVersionError && error.streamId === pinnedStream) throw error;
        // The write that beat this one has committed, so the first retry reads it at once.
        // Later ones back off (full jitter, exponential) so racing writers spread out.
        const delayMs = attemptNo === 1 ? 0 : Math.random() * Math.min(250, 5 * 2 ** attemptNo);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  return {
    /** Runs a command plan; see {@link createCommandRunner}. */
    async run<PrimaryState>(plan: Plan<PrimaryState>, run: RunOptions = {}): Promise<CommandResult> {
      if (run.commandId) {
        const first = await firstResult(run.commandId);
        if (first) return first;
      }
      // A caller's own expectedVersion is a question ("still at N?"): a conflict is its answer.
      // Versions the runner loaded itself are retried.
      const pinnedStream =
        isReadingPlan(plan) || plan.primary.expectedVersion === undefined ? undefined : plan.primary.streamId;
      const touched = new Set<string>();
      const done = await turns.take(isReadingPlan(plan) ? plan.reads.map((r) => r.streamId) : [plan.primary.streamId]);
      try {
        return await runWithRetries(plan, run, pinnedStream, touched);
      } finally {
        done();
      }
    },
    /** Loads one stream's current state and version, with the runner's decoding and snapshots. */
    async load<State>(
      decider: Decider<unknown, DomainEvent, State>,
      streamId: string,
    ): Promise<{ state: State; version: number }> {
      const { state, version } = await load(database.db, streamRead(decider, streamId));
      return { state: state as State, version };
    },
  };
}

export type CommandRunner = ReturnType<typeof createCommandRunner>;

/**
 * Tries that go the shared (batched, optimistic) way before a retry locks its streams. Two: under
 * moderate contention (an order sharing an item with another in flight) the second try almost
 * always wins, at the cost of one load and a share of a batch; the locked way costs a transaction
 * of its own, about six round trips.
 */
const optimisticAttempts = 2;

interface InlineRowProjection {
  projection: AnyProjection & { rows: NonNullable<AnyProjection['rows']> };
  table: RowTable;
}

/** Inline projections with the live table each writes; every inline projection is a row projection. */
function inlineRowProjections(projections: readonly AnyProjection[]): InlineRowProjection[] {
  return projections
    .filter((projection) => projection.mode === 'inline')
    .map((projection) => {
      const { rows } = projection;
      if (!rows) throw new Error(`inline projection ${projection.name} must be a row projection (defineRowProjection)`);
      return { projection: { ...projection, rows }, table: rowTableOf(rows.table(''), rows.key) };
    });
}

/**
 * The inline read models' changes for events about to be appended. Their versions follow from the
 * expected versions; their time is the placeholder the append statement replaces with its own.
 */
function rowChangesOf(
  inline: readonly InlineRowProjection[],
  streams: {
    streamId: string;
    expectedVersion: number;
    events: { type: string; schemaVersion: number; data: unknown; metadata: EventMetadata }[];
  }[],
): WireRowChange[] {
  return inline.flatMap(({ projection, table }) => {
    const changes: RowChange<object>[] = [];
    for (const stream of streams) {
      stream.events.forEach((event, i) => {
        if (!projection.eventTypes.includes(event.type)) return;
        const context = rowEventContext({
          streamId: stream.streamId,
          version: stream.expectedVersion + i + 1,
          recordedAt: recordedAtPlaceholder,
          metadata: event.metadata,
        });
        changes.push(...projection.rows.changes(event, context));
      });
    }
    return changes.length === 0 ? [] : wireRowChanges(table, mergeRowChanges(projection.rows.key as never, changes));
  });
}

/** A stream a command appended to: as loaded, its events, and the state they lead to. */
interface WrittenStream {
  streamId: string;
  expectedVersion: number;
  events: DomainEvent[];
  read: StreamRead;
  stream: LoadedStream;
  after: unknown;
}

/**
 * Whether a decision made partly on cached states is checked by its append: every cached stream
 * it looked at gets events, expected at the version it was cached at (a pinned version that
 * differs would let a stale state through). A cached stream it never looked at could not have
 * changed it.
 */
function appendsEveryCachedStream(
  decision: PlanDecision,
  cached: ReadonlySet<string>,
  loaded: ReadonlyMap<string, { stream: LoadedStream }>,
): boolean {
  for (const streamId of cached) {
    if (!decision.consulted.has(streamId)) continue;
    const append = decision.appends.find((a) => a.streamId === streamId);
    if (!append || append.expectedVersion !== loaded.get(streamId)?.stream.version) return false;
  }
  return true;
}

function subjectsOf(streams: { events: { personal?: { subject: string } | undefined }[] }[]): string[] {
  return streams.flatMap((s) => s.events.flatMap((e) => (e.personal ? [e.personal.subject] : [])));
}

/** Locks the streams as appends do (strata_lock_streams), before anything is written. */
async function lockStreams(tx: StrataDb, streamIds: readonly string[]): Promise<void> {
  if (streamIds.length === 0) return;
  const ids = sql.join(
    streamIds.map((id) => sql`${id}`),
    sql`, `,
  );
  await tx.execute(sql`select strata_lock_streams(array[${ids}]::text[])`);
}

/** The primary stream's outcome; a primary that appended nothing keeps its loaded version. */
function toCommandResult(
  result: AppendResult,
  duplicate: boolean,
  primary?: { streamId: string; version: number },
): CommandResult {
  const primaryResult = primary ? result.streams.find((s) => s.streamId === primary.streamId) : result.streams[0];
  return {
    streamId: primaryResult?.streamId ?? primary?.streamId ?? '',
    version: Number(primaryResult?.version ?? primary?.version ?? 0),
    position: Number(result.position),
    duplicate,
    streams: result.streams,
    events: [],
    recordedAt: new Date(result.recordedAt),
  };
}

function storedEventsOf(
  streams: {
    streamId: string;
    streamType: string;
    events: { eventId: string; type: string; schemaVersion: number; data: unknown; metadata: EventMetadata }[];
  }[],
  appended: AppendResult,
): StoredEvent[] {
  return streams.flatMap((stream) => {
    const result = appended.streams.find((s) => s.streamId === stream.streamId);
    if (!result) return [];
    const firstVersion = result.version - stream.events.length + 1;
    return stream.events.map((event, i) => ({
      position: result.firstPosition + i,
      transactionId: appended.transactionId,
      streamId: stream.streamId,
      streamType: stream.streamType,
      version: firstVersion + i,
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: event.metadata,
      recordedAt: new Date(appended.recordedAt),
    }));
  });
}

async function lastPositionOf(db: StrataDb, streamId: string): Promise<number> {
  const [row] = await queryRows<{ position: string | number | null }>(
    db,
    sql`select max(position) as position from events where stream_id = ${streamId}`,
  );
  return Number(row?.position ?? 0);
}
