import type { LoadedStream } from '@strata/domain';

/**
 * The states this process last loaded or wrote, by stream: a command on a stream this process just
 * wrote needs no round trip to load it again (Marten's identity map, kept between commands).
 *
 * Only a hint. Another process may have written the stream since, so the runner trusts a decision
 * made on cached states only when it appends to every one of them at the version it was cached
 * at — the append checks that version. A refusal, a no-op or a read-only stream decided on the
 * cache is decided again on fresh loads. Entries live `ttlMs` (1 s, the other caches' bound: a
 * forgotten person's state leaves every process's memory within it) and at most `maxEntries`.
 */
export function createStateCache(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const ttlMs = options.ttlMs ?? 1000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { decider: object; stream: LoadedStream; at: number }>();

  return {
    /** The stream's state as `decider` folds it, if this process knows it from the last `ttlMs`. */
    get(streamId: string, decider: object): LoadedStream | undefined {
      const entry = entries.get(streamId);
      if (!entry) return undefined;
      if (entry.decider !== decider || Date.now() - entry.at > ttlMs) {
        entries.delete(streamId);
        return undefined;
      }
      return entry.stream;
    },
    set(streamId: string, decider: object, stream: LoadedStream): void {
      entries.delete(streamId);
      // Oldest first: a Map iterates in insertion order.
      while (entries.size >= maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
      entries.set(streamId, { decider, stream, at: Date.now() });
    },
    evict(streamIds: Iterable<string>): void {
      for (const streamId of streamIds) entries.delete(streamId);
    },
  };
}

export type StateCache = ReturnType<typeof createStateCache>;
