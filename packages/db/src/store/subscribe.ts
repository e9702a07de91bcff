import type { Database, Unlisten } from '../connection.ts';
import { eventsChannel } from './announce.ts';
import type { ReadAllOptions } from './read.ts';
import { hasEventsAfter, readAll } from './read.ts';
import type { Checkpoint, StoredEvent } from './types.ts';
import { startOfLog } from './types.ts';

export interface SubscribeOptions extends Omit<ReadAllOptions, 'after' | 'limit'> {
  after?: Checkpoint | undefined;
  batchSize?: number | undefined;
  /** Polling interval used when no notification arrives (default 1000 ms). */
  pollIntervalMs?: number | undefined;
  /** Longest wait between retries after errors (default 5000 ms); the first retry waits 100 ms. */
  maxRetryDelayMs?: number | undefined;
  /**
   * Called with each batch in commit order; the next batch is read after it resolves. If it
   * throws, the same batch is offered again after a pause.
   */
  onEvents: (events: StoredEvent[], checkpoint: Checkpoint) => Promise<void> | void;
  /** Called with every error the subscription recovers from; it never ends the subscription. */
  onError?: ((error: unknown) => void) | undefined;
}

export interface Subscription {
  /** Stops reading; resolves when the current batch is done. */
  stop(): Promise<void>;
  /** The checkpoint after the last batch delivered. */
  readonly checkpoint: Checkpoint;
}

const firstRetryDelayMs = 100;

/**
 * Delivers every event after `after`, then each new one as it commits, in the same commit-safe
 * order as {@link readAll}. LISTEN/NOTIFY wakes it at once; polling covers a lost notification.
 * A database error (a lost connection, a restart) does not end it: it waits, longer after each
 * failure in a row, and reads again from the checkpoint after the last batch `onEvents` accepted.
 */
export async function subscribe(database: Database, options: SubscribeOptions): Promise<Subscription> {
  let checkpoint = options.after ?? startOfLog;
  let stopped = false;
  let pendingWake = false;
  /** Ends the current pause early: a notification (when the pause waits for one) or stop(). */
  let onNotify: (() => void) | undefined;
  let onStop: (() => void) | undefined;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 5000;

  const pause = (ms: number, untilNotified: boolean) =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve();
      const done = () => {
        clearTimeout(timer);
        onNotify = undefined;
        onStop = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      onStop = done;
      if (untilNotified) onNotify = done;
    });

  let unlisten: Unlisten | undefined;
  /** Without LISTEN (the database was down when it was asked) polling still finds every event. */
  const startListening = async () => {
    try {
      unlisten = await database.listen(eventsChannel, () => {
        pendingWake = true;
        onNotify?.();
      });
    } catch (error) {
      options.onError?.(error);
    }
  };
  await startListening();

  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      try {
        if (!unlisten) await startListening();
        pendingWake = false;
        const { events, checkpoint: next } = await readAll(database.db, {
          ...options,
          after: checkpoint,
          limit: options.batchSize ?? 500,
        });
        if (stopped) break;
        if (events.length > 0) {
          await options.onEvents(events, next);
          checkpoint = next;
          failures = 0;
          continue;
        }
        checkpoint = next;
        // Committed events the horizon still holds back (an older transaction is running, maybe in
        // another database): look again soon rather than at the next poll.
        if (await hasEventsAfter(database.db, checkpoint, options)) {
          failures = 0;
          await pause(20, false);
          continue;
        }
        failures = 0;
      } catch (error) {
        if (stopped) break;
        options.onError?.(error);
        // Doubling, capped: a database that is down is asked again every few seconds, not flooded.
        failures++;
        await pause(Math.min(maxRetryDelayMs, firstRetryDelayMs * 2 ** (failures - 1)), false);
        continue;
      }
      if (pendingWake) continue;
      await pause(pollIntervalMs, true);
    }
  })();

  return {
    get checkpoint() {
      return checkpoint;
    },
    async stop() {
      stopped = true;
      onStop?.();
      await loop;
      // A connection that is gone has no LISTEN left to end.
      await unlisten?.().catch(() => undefined);
    },
  };
}
