import type { StrataDb } from '@strata/db';
import { findSessionById, type Session, sessionIdOf } from './sessions.ts';

/**
 * Who a bearer token belongs to, without a round trip per request. An answer is kept for
 * `ttlMs` (1 s), so a logout, a deactivation or a role change made by another api process takes
 * effect here within that; this process forgets everything at once when it runs such a command
 * itself ({@link SessionCache.forgetAll}). Concurrent requests with one token share one lookup.
 */
export function createSessionCache(db: StrataDb, options: { ttlMs?: number; maxEntries?: number } = {}) {
  const ttlMs = options.ttlMs ?? 1000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { answer: Promise<Session | null>; until: number }>();

  return {
    find(token: string): Promise<Session | null> {
      const sessionId = sessionIdOf(token);
      const now = Date.now();
      const cached = entries.get(sessionId);
      if (cached && cached.until > now) return cached.answer;
      if (cached) entries.delete(sessionId);
      // Oldest first: a Map iterates in insertion order.
      while (entries.size >= maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
      const answer = findSessionById(db, sessionId);
      const entry = { answer, until: now + ttlMs };
      entries.set(sessionId, entry);
      // A failed lookup (the database is down) is not an answer to keep.
      answer.catch(() => {
        if (entries.get(sessionId) === entry) entries.delete(sessionId);
      });
      return answer;
    },
    forgetAll(): void {
      entries.clear();
    },
  };
}

export type SessionCache = ReturnType<typeof createSessionCache>;
