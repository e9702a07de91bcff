import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { eq, inArray } from 'drizzle-orm';
import type { AdvisoryLock, Database } from '../connection.ts';
import { deliversInProcess, notify } from '../notifications.ts';
import { projectionCheckpoints } from '../schema/projections.ts';
import { eventsChannel } from '../store/announce.ts';
import { hasEventsAfter } from '../store/read.ts';
import type { Checkpoint } from '../store/types.ts';
import { ensureCheckpoint, oldestCheckpoint, processSharedBatch } from './checkpoint.ts';
import type { EventProcessor } from './processor.ts';

export const projectionsChannel = 'strata_projections';

/**
 * After a batch that was not full the worker waits this long, so appends arriving meanwhile gather
 * into the next batch: at most this much lag added, far less worker work per command (a batch is
 * a transaction of several round trips, whatever its size; measured: 10-15% less api CPU per
 * top-up with the worker in the api, lag p99 at 500 appends/s 18 -> 31 ms). On PGlite longer: its
 * queries run in this thread, so every batch is time requests wait.
 */
const batchGapMs = { pglite: 25, postgres: 10 };

/**
 * When the process is busy (its event loop mostly running, as under a load of requests) the gap
 * grows towards this, so the worker takes more events per batch: a batch costs the process about
 * the same whatever its size (its statements' socket writes and round trips, ~0.1-0.3 ms each on a
 * VM), and under load that time is taken from requests. Measured with drafts at concurrency 8 on
 * PostgreSQL: up to 30 ms, the worker cost 12-17% of the api's throughput; up to 100 ms, 7-8%.
 * At ordinary rates the loop is mostly idle and the gap stays at the base above. PGlite keeps three
 * times its base (its lag at 500 appends/s is already p99 ~55-70 ms, its queries running here).
 */
const busyGapMs = { pglite: 75, postgres: 100 };

/** The gap after a short batch, from the event loop's utilisation since the last one. */
function gapFor(engine: keyof typeof busyGapMs, busy: number): number {
  const pressure = Math.min(1, Math.max(0, (busy - 0.5) / 0.4));
  return batchGapMs[engine] + (busyGapMs[engine] - batchGapMs[engine]) * pressure;
}

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

interface Held {
  processor: EventProcessor;
  lock: AdvisoryLock;
  /** After a failed apply, the processor sits out until then (the others go on). */
  retryAt: number;
  failures: number;
}

/**
 * Runs async projections and reactors. Each processor runs in exactly one worker at a time (a
 * PostgreSQL advisory lock held on its own connection); the others wait and take over within
 * `lockRetryMs` of the holder dying. A worker reads the log once for all the processors it holds
 * (one transaction per batch, see {@link processSharedBatch}), so an append costs every processor
 * together one read instead of one transaction each. LISTEN/NOTIFY wakes it at once; polling is
 * the fallback.
 */
export function createProjectionWorker(options: ProjectionWorkerOptions) {
  const { database } = options;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const lockRetryMs = options.lockRetryMs ?? 1000;
  // PGlite runs its queries in this thread, so every batch the worker runs is time requests
  // wait: between batches it leaves a gap, in which appends gather into the next batch.
  const inProcess = deliversInProcess(database.db);
  let stopped = false;
  const wakers = new Set<() => void>();
  const held = new Map<string, Held>();
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
  const reportError = (error: unknown, processor: string) => options.onError?.(error, processor);

  async function letGo(name: string) {
    const entry = held.get(name);
    if (!entry) return;
    held.delete(name);
    await entry.lock.release();
  }

  /** Takes the processors nobody holds, checks the ones held are still ours, and beats the heart. */
  async function tendLocks() {
    for (const processor of options.processors) {
      const name = processor.checkpointName;
      const entry = held.get(name);
      if (entry) {
        if (!(await entry.lock.stillHeld())) await letGo(name);
        continue;
      }
      const lock = await database.tryAdvisoryLock(`strata:processor:${name}`).catch((error: unknown) => {
        reportError(error, name);
        return null;
      });
      if (!lock) continue;
      try {
        await ensureCheckpoint(database.db, name);
      } catch (error) {
        reportError(error, name);
        await lock.release();
        continue;
      }
      held.set(name, { processor, lock, retryAt: 0, failures: 0 });
      wakeAll();
    }
    if (held.size > 0) {
      await database.db
        .update(projectionCheckpoints)
        .set({ workerId, heartbeatAt: new Date() })
        .where(inArray(projectionCheckpoints.name, [...held.keys()]));
    }
  }

  /** The lock loop's own pause: appends must not wake it (each check is a round trip per lock). */
  let stopLockPause: (() => void) | undefined;
  const lockPause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, lockRetryMs);
      function done() {
        clearTimeout(timer);
        stopLockPause = undefined;
        resolve();
      }
      stopLockPause = done;
    });

  async function lockLoop() {
    while (!stopped) {
      try {
        await tendLocks();
      } catch (error) {
        if (!stopped) reportError(error, 'worker');
      }
      if (!stopped) await lockPause();
    }
  }

  async function processLoop() {
    /** Where each processor stood after the last batch: the idle wait looks after the oldest. */
    let known = new Map<string, Checkpoint>();
    let seenGeneration = wakeGeneration;
    let loopUse = performance.eventLoopUtilization();
    while (!stopped) {
      const now = Date.now();
      const ready = [...held.values()].filter((entry) => entry.retryAt <= now);
      if (ready.length === 0) {
        await sleep(Math.min(pollIntervalMs, lockRetryMs));
        continue;
      }
      let result: Awaited<ReturnType<typeof processSharedBatch>>;
      try {
        result = await processSharedBatch(
          database.db,
          ready.map((entry) => entry.processor),
          // On PostgreSQL the batch's own statement wakes read-your-writes waiters, in any process.
          { batchSize, workerId, known, notify: inProcess ? undefined : projectionsChannel },
        );
      } catch (error) {
        if (stopped) break;
        // The database is unreachable or refused the batch: every processor waits and tries again.
        reportError(error, 'worker');
        await sleep(Math.min(5000, pollIntervalMs * 2));
        continue;
      }
      known = result.checkpoints;
      for (const entry of ready) {
        const failure = result.failures.get(entry.processor.checkpointName);
        if (failure === undefined) {
          entry.failures = 0;
          continue;
        }
        entry.failures++;
        entry.retryAt = Date.now() + Math.min(30_000, 250 * 2 ** entry.failures);
        reportError(failure, entry.processor.checkpointName);
        await database.db
          .update(projectionCheckpoints)
          .set({ lastError: failure instanceof Error ? failure.message : String(failure) })
          .where(eq(projectionCheckpoints.name, entry.processor.checkpointName))
          .catch(() => undefined);
      }
      if (result.events > 0) {
        // PGlite: wakes waiters for read-your-writes in this process, once per batch.
        if (inProcess) await notify(database.db, projectionsChannel, '').catch(() => undefined);
        // PGlite runs in this thread: let requests in between batches of a long catch-up.
        await new Promise((resolve) => setImmediate(resolve));
        // A full batch leaves more behind: go again at once.
        if (result.events >= batchSize) continue;
        // After a short one, a gap in which appends gather (not `sleep`: every append wakes that,
        // and appends are what the gap is for), then the next batch straight away: while appends
        // go on it is rarely empty, and checking first would cost a round trip each time. An
        // empty one leads to the wait below.
        const sinceLastGap = performance.eventLoopUtilization(loopUse);
        loopUse = performance.eventLoopUtilization();
        const gapMs = gapFor(inProcess ? 'pglite' : 'postgres', sinceLastGap.utilization);
        await new Promise((resolve) => setTimeout(resolve, gapMs));
        continue;
      }
      // Sleep until something is appended after the oldest checkpoint. Wake-ups come for every
      // append, so checking first keeps an idle worker from opening a transaction each time.
      const oldest = oldestCheckpoint(known.values());
      /** A processor taken over, or back from a failure, has a checkpoint of its own: read again. */
      const newlyReady = () =>
        [...held.values()].some((entry) => entry.retryAt <= Date.now() && !known.has(entry.processor.checkpointName));
      for (let justEmptied = result.events === 0; !stopped && !newlyReady(); justEmptied = false) {
        const pending = oldest ? await hasEventsAfter(database.db, oldest).catch(() => true) : true;
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
      }
    }
  }

  return {
    workerId,
    /** The processors this worker holds right now. */
    held: () => [...held.keys()],
    async start() {
      unlisten = await database.listen(eventsChannel, wakeAll);
      loops = [lockLoop(), processLoop()];
    },
    async stop() {
      stopped = true;
      wakeAll();
      stopLockPause?.();
      await Promise.all(loops);
      await Promise.all([...held.keys()].map(letGo));
      await unlisten?.();
    },
  };
}

export type ProjectionWorker = ReturnType<typeof createProjectionWorker>;
