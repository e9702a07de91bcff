import { eq, inArray, sql } from 'drizzle-orm';
import type { StrataDb } from '../connection.ts';
import { projectionCheckpoints } from '../schema/projections.ts';
import { readAll } from '../store/read.ts';
import type { Checkpoint } from '../store/types.ts';
import type { EventProcessor } from './processor.ts';

export async function ensureCheckpoint(db: StrataDb, name: string): Promise<void> {
  await db.insert(projectionCheckpoints).values({ name }).onConflictDoNothing();
}

export async function readCheckpoint(
  db: StrataDb,
  name: string,
  options: { forUpdate?: boolean } = {},
): Promise<Checkpoint> {
  const query = db
    .select({
      transactionId: sql<string>`${projectionCheckpoints.transactionId}::text`,
      position: projectionCheckpoints.position,
    })
    .from(projectionCheckpoints)
    .where(eq(projectionCheckpoints.name, name));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row
    ? { transactionId: row.transactionId, position: Number(row.position) }
    : { transactionId: '0', position: 0 };
}

/** Whether `a` comes after `b` in commit order (transaction id, then position). */
export function isAfterCheckpoint(a: Checkpoint, b: Checkpoint): boolean {
  const ta = BigInt(a.transactionId);
  const tb = BigInt(b.transactionId);
  return ta > tb || (ta === tb && a.position > b.position);
}

/** The earliest of these checkpoints in commit order (undefined for none). */
export function oldestCheckpoint(checkpoints: Iterable<Checkpoint>): Checkpoint | undefined {
  let oldest: Checkpoint | undefined;
  for (const checkpoint of checkpoints) {
    if (!oldest || isAfterCheckpoint(oldest, checkpoint)) oldest = checkpoint;
  }
  return oldest;
}

export interface SharedBatchResult {
  /** Events read from the log (0: every processor is caught up). */
  events: number;
  /** Where each processor's checkpoint stands now. */
  checkpoints: Map<string, Checkpoint>;
  /** Processors whose apply failed: their changes and checkpoint were rolled back, the others kept. */
  failures: Map<string, unknown>;
}

/**
 * One batch for every processor a worker holds, reading the log once: one transaction locks their
 * checkpoint rows (in name order, so two workers never deadlock), reads one batch after the oldest
 * of them, gives each processor the events after its own checkpoint that it handles, and moves
 * every checkpoint in one statement. A processor that handles none of the batch's events only
 * moves its checkpoint. With `notify` (PostgreSQL), that statement also NOTIFYs the channel, so
 * read-your-writes waiters hear of the batch exactly when it commits.
 *
 * The processors apply side by side in the one transaction (their statements pipelined on its
 * connection); only when one of them fails does the batch run again with each apply in a
 * savepoint, so the failing processor keeps its checkpoint (and is retried) without undoing the
 * others. Savepoints on every batch cost two round trips per processor, for a failure that is rare.
 */
export async function processSharedBatch(
  db: StrataDb,
  processors: readonly EventProcessor[],
  options: SharedBatchOptions,
): Promise<SharedBatchResult> {
  try {
    return await runSharedBatch(db, processors, options, false);
  } catch (error) {
    if (!(error instanceof ApplyFailedError)) throw error;
    return runSharedBatch(db, processors, options, true);
  }
}

interface SharedBatchOptions {
  batchSize: number;
  /**
   * Where the processors stood after the worker's last batch. The log is then read in the same
   * round trip as the checkpoints are locked (and read again in the rare batch where they moved).
   */
  known?: ReadonlyMap<string, Checkpoint> | undefined;
  workerId?: string | undefined;
  /** A channel to NOTIFY in the batch's own transaction (PostgreSQL only). */
  notify?: string | undefined;
}

/** A processor's apply failed in a batch run without savepoints: the whole batch rolled back. */
class ApplyFailedError extends Error {}

async function runSharedBatch(
  db: StrataDb,
  processors: readonly EventProcessor[],
  options: SharedBatchOptions,
  isolated: boolean,
): Promise<SharedBatchResult> {
  const names = processors.map((p) => p.checkpointName).sort();
  const known = options.known;
  const guess =
    known && names.every((name) => known.has(name))
      ? oldestCheckpoint(names.map((n) => known.get(n) as Checkpoint))
      : undefined;
  return db.transaction(async (tx) => {
    const locking = tx
      .select({
        name: projectionCheckpoints.name,
        transactionId: sql<string>`${projectionCheckpoints.transactionId}::text`,
        position: projectionCheckpoints.position,
      })
      .from(projectionCheckpoints)
      .where(inArray(projectionCheckpoints.name, names))
      .orderBy(projectionCheckpoints.name)
      .for('update');
    // Sent together, so one round trip: the read runs after the lock on the same connection, and
    // the guess (where the checkpoints stood after this worker's last batch) is almost always
    // right; when it is not (a rebuild reset one, another worker moved them), the read goes again.
    const [rows, early] = await Promise.all([
      locking,
      guess ? readAll(tx, { after: guess, limit: options.batchSize }) : undefined,
    ]);
    const checkpoints = new Map<string, Checkpoint>(names.map((name) => [name, { transactionId: '0', position: 0 }]));
    for (const row of rows) {
      checkpoints.set(row.name, { transactionId: row.transactionId, position: Number(row.position) });
    }
    const oldest = oldestCheckpoint(checkpoints.values());
    const failures = new Map<string, unknown>();
    const { events, checkpoint } =
      early && guess && oldest && sameCheckpoint(guess, oldest)
        ? early
        : await readAll(tx, { after: oldest, limit: options.batchSize });
    if (events.length === 0) return { events: 0, checkpoints, failures };

    const due = processors.flatMap((processor) => {
      const own = checkpoints.get(processor.checkpointName) ?? checkpoint;
      if (!isAfterCheckpoint(checkpoint, own)) return [];
      const handled = events.filter((e) => processor.eventTypes.includes(e.type) && isAfterCheckpoint(e, own));
      return [{ processor, handled }];
    });
    const moved: string[] = [];
    if (!isolated) {
      // Side by side (each owns its tables), with the checkpoint move: their statements share
      // round trips and socket writes on the transaction's connection, and in one transaction
      // their order does not matter. One failing loses the transaction: go again isolated.
      const dueNames = due.map(({ processor }) => processor.checkpointName);
      const [moving, ...applied] = await Promise.allSettled([
        moveCheckpoints(tx, dueNames, checkpoint, options),
        ...due.map(({ processor, handled }) => (handled.length > 0 ? processor.apply(tx, handled) : undefined)),
      ]);
      const failed = applied.find((outcome) => outcome.status === 'rejected');
      if (failed) throw new ApplyFailedError('an apply failed', { cause: failed.reason });
      if (moving?.status === 'rejected') throw moving.reason;
      moved.push(...dueNames);
    } else {
      for (const { processor, handled } of due) {
        if (handled.length > 0) {
          try {
            await tx.transaction((savepoint) => processor.apply(savepoint, handled));
          } catch (error) {
            failures.set(processor.checkpointName, error);
            continue;
          }
        }
        moved.push(processor.checkpointName);
      }
      await moveCheckpoints(tx, moved, checkpoint, options);
    }
    for (const name of moved) checkpoints.set(name, checkpoint);
    return { events: events.length, checkpoints, failures };
  });
}

/** Moves these processors' checkpoints to `checkpoint`, and with `notify` announces it (on commit). */
async function moveCheckpoints(
  tx: StrataDb,
  names: readonly string[],
  checkpoint: Checkpoint,
  options: SharedBatchOptions,
): Promise<void> {
  if (names.length === 0) return;
  const now = new Date();
  const move = tx
    .update(projectionCheckpoints)
    .set({
      transactionId: checkpoint.transactionId,
      position: checkpoint.position,
      updatedAt: now,
      heartbeatAt: now,
      lastError: null,
      ...(options.workerId ? { workerId: options.workerId } : {}),
    })
    .where(inArray(projectionCheckpoints.name, [...names]));
  // One statement: the move and its announcement (delivered with the commit). Drizzle puts the
  // embedded update in parentheses, as WITH needs.
  if (options.notify) await tx.execute(sql`with moved as ${move} select pg_notify(${options.notify}, '')`);
  else await move;
}

function sameCheckpoint(a: Checkpoint, b: Checkpoint): boolean {
  return a.transactionId === b.transactionId && a.position === b.position;
}
