import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { eq } from 'drizzle-orm';
import type { Database } from '../connection.ts';
import { notify } from '../notifications.ts';
import { projectionCheckpoints } from '../schema/projections.ts';
import { eventsChannel } from '../store/announce.ts';
import { hasEventsAfter } from '../store/read.ts';
import { ensureCheckpoint, processNextBatch } from './checkpoint.ts';
import type { EventProcessor } from './processor.ts';

export const projectionsChannel = 'strata_projections';

export interface ProjectionWorkerOptions {
  database: Database;
  processors: readonly EventProcessor[];
  /** Shown in status; defaults to host:pid:random. */
  workerId?: string;
  batchSize?: number;
  /** Poll when no notification came (default 1000 ms). */
  pollIntervalMs?: number;
  /** How often a waiting worker tries to take over a projection (default 1000 ms). */
  lockRetryMs?: number;
  onError?: (error: unknown, processor: string) => void;
}

/**
 * Runs async projections and reactors. Each processor runs in exactly one worker at a time (a
 * PostgreSQL advisory lock held on its own connection); the others wait and take over within
 * `lockRetryMs` of the holder dying. LISTEN/NOTIFY wakes the holder at once; polling is the
 * fallback.
 */
export function createProjectionWorker(options: ProjectionWorkerOptions) {
  const { database } = options;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const lockRetryMs = options.lockRetryMs ?? 1000;
  let stopped = false;
  const wakers = new Set<() => void>();
  const held = new Set<string>();
  let unlisten: (() => Promise<void>) | undefined;
  let loops: Promise<void>[] = [];

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });
  let wakeGeneration = 0;
  const wakeAll = () => {
    wakeGeneration++;
    for (const wake of [...wakers]) wake();
  };

  async function run(processor: EventProcessor) {
    const lockKey = `strata:processor:${processor.checkpointName}`;
    while (!stopped) {
      const lock = await database.tryAdvisoryLock(lockKey).catch((error: unknown) => {
        options.onError?.(error, processor.checkpointName);
        return null;
      });
      if (!lock) {
        await sleep(lockRetryMs);
        continue;
      }
      held.add(processor.checkpointName);
      try {
        await ensureCheckpoint(database.db, processor.checkpointName);
        await database.db
          .update(projectionCheckpoints)
          .set({ workerId, heartbeatAt: new Date() })
          .where(eq(projectionCheckpoints.name, processor.checkpointName));
        let lastCheck = Date.now();
        let seenGeneration = wakeGeneration;
        while (!stopped) {
          const { events, checkpoint } = await processNextBatch(database.db, processor, { batchSize, workerId });
          if (events > 0) {
            // Wakes api processes waiting for read-your-writes.
            await notify(database.db, projectionsChannel, processor.checkpointName);
            // PGlite runs in this thread: let requests in between batches of a long catch-up.
            await new Promise((resolve) => setImmediate(resolve));
            continue;
          }
          if (Date.now() - lastCheck > lockRetryMs) {
            lastCheck = Date.now();
            if (!(await lock.stillHeld())) break;
            await database.db
              .update(projectionCheckpoints)
              .set({ heartbeatAt: new Date(), workerId })
              .where(eq(projectionCheckpoints.name, processor.checkpointName));
          }
          // Sleep until something is appended after our checkpoint. Wake-ups come for every
          // append, so checking first keeps idle workers from opening a transaction each time.
          for (let justEmptied = true; ; justEmptied = false) {
            if (stopped) break;
            const pending = await hasEventsAfter(database.db, checkpoint);
            if (pending) {
              // Right after an empty batch, pending events are held back by an older running
              // transaction: look again soon. After a wake-up they are new: go at once.
              if (justEmptied) await sleep(20);
              break;
            }
            // A wake-up that came while we were querying must not be slept through.
            if (wakeGeneration !== seenGeneration) {
              seenGeneration = wakeGeneration;
              continue;
            }
            await sleep(pollIntervalMs);
            seenGeneration = wakeGeneration;
            if (Date.now() - lastCheck > lockRetryMs) break;
          }
        }
      } catch (error) {
        if (stopped) break;
        options.onError?.(error, processor.checkpointName);
        await database.db
          .update(projectionCheckpoints)
          .set({ lastError: error instanceof Error ? error.message : String(error) })
          .where(eq(projectionCheckpoints.name, processor.checkpointName))
          .catch(() => undefined);
        await sleep(Math.min(5000, pollIntervalMs * 2));
      } finally {
        held.delete(processor.checkpointName);
        await lock.release();
      }
    }
  }

  return {
    workerId,
    /** The processors this worker holds right now. */
    held: () => [...held],
    async start() {
      unlisten = await database.listen(eventsChannel, wakeAll);
      loops = options.processors.map((p) => run(p));
    },
    async stop() {
      stopped = true;
      wakeAll();
      await Promise.all(loops);
      await unlisten?.();
    },
  };
}

export type ProjectionWorker = ReturnType<typeof createProjectionWorker>;
