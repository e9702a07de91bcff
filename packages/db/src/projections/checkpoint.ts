import { eq, sql } from 'drizzle-orm';
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

/**
 * One batch in one transaction: lock the checkpoint row, read what follows it in commit order,
 * apply the handled events and move the checkpoint. Two workers can never apply one event twice:
 * the second waits on the row lock and then reads the moved checkpoint.
 */
export async function processNextBatch(
  db: StrataDb,
  processor: EventProcessor,
  options: { batchSize: number; workerId?: string | undefined },
): Promise<{ events: number; checkpoint: Checkpoint }> {
  return db.transaction(async (tx) => {
    const after = await readCheckpoint(tx, processor.checkpointName, { forUpdate: true });
    const { events, checkpoint } = await readAll(tx, { after, limit: options.batchSize });
    if (events.length === 0) return { events: 0, checkpoint: after };
    const handled = events.filter((e) => processor.eventTypes.includes(e.type));
    if (handled.length > 0) await processor.apply(tx, handled);
    await tx
      .update(projectionCheckpoints)
      .set({
        transactionId: checkpoint.transactionId,
        position: checkpoint.position,
        updatedAt: new Date(),
        heartbeatAt: new Date(),
        lastError: null,
        ...(options.workerId ? { workerId: options.workerId } : {}),
      })
      .where(eq(projectionCheckpoints.name, processor.checkpointName));
    return { events: events.length, checkpoint };
  });
}
