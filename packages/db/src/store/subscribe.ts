import type { Database } from '../connection.ts';
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
  /** Called with each batch in commit order; the next batch is read after it resolves. */
  onEvents: (events: StoredEvent[], checkpoint: Checkpoint) => Promise<void> | void;
  onError?: ((error: unknown) => void) | undefined;
}

export interface Subscription {
  /** Stops reading; resolves when the current batch is done. */
  stop(): Promise<void>;
  /** The checkpoint after the last batch delivered. */
  readonly checkpoint: Checkpoint;
}

/**
 * Delivers every event after `after`, then each new one as it commits, in the same commit-safe
 * order as {@link readAll}. LISTEN/NOTIFY wakes it at once; polling covers a lost notification.
 */
export async function subscribe(database: Database, options: SubscribeOptions): Promise<Subscription> {
  let checkpoint = options.after ?? startOfLog;
  let stopped = false;
  let wake: (() => void) | undefined;
  let pendingWake = false;
  const signal = () => {
    pendingWake = true;
    wake?.();
  };
  const unlisten = await database.listen(eventsChannel, signal);
  const pollIntervalMs = options.pollIntervalMs ?? 1000;

  const loop = (async () => {
    while (!stopped) {
      try {
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
          continue;
        }
        checkpoint = next;
        // Committed events the horizon still holds back (an older transaction is running, maybe in
        // another database): look again soon rather than at the next poll.
        if (await hasEventsAfter(database.db, checkpoint, options)) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
      } catch (error) {
        if (stopped) break;
        options.onError?.(error);
      }
      if (pendingWake) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();

  return {
    get checkpoint() {
      return checkpoint;
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await unlisten();
    },
  };
}
