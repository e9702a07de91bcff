import { sql } from 'drizzle-orm';
import type { StrataDb } from './connection.ts';

type Listener = (payload: string) => void;

/** Databases whose notifications never leave this process (PGlite), with their listeners. */
const inProcess = new WeakMap<StrataDb, Map<string, Set<Listener>>>();

/**
 * Marks `db` as one no other process can open (PGlite, one process per data folder): its
 * notifications are then delivered by a call instead of a `select pg_notify` on its single
 * connection, which cost a third of an embedded append.
 */
export function deliverInProcess(db: StrataDb): void {
  if (!inProcess.has(db)) inProcess.set(db, new Map());
}

/**
 * Makes `copy` — a wrapper of `original`, such as one that observes its transactions — deliver
 * as `original` does, to the same listeners (nothing changes when `original` is not marked).
 */
export function deliverLike(copy: StrataDb, original: StrataDb): void {
  const channels = inProcess.get(original);
  if (channels) inProcess.set(copy, channels);
}

/** True when `db` was marked with {@link deliverInProcess}: no NOTIFY reaches its listeners. */
export function deliversInProcess(db: StrataDb): boolean {
  return inProcess.has(db);
}

/** Listens on `channel` of a database marked with {@link deliverInProcess}. */
export function listenInProcess(db: StrataDb, channel: string, listener: Listener): () => Promise<void> {
  const channels = inProcess.get(db);
  if (!channels) throw new Error('listenInProcess: this database delivers through PostgreSQL');
  let listeners = channels.get(channel);
  if (!listeners) {
    listeners = new Set();
    channels.set(channel, listeners);
  }
  // A wrapper per call, so the same function listening twice is two listeners, as with LISTEN.
  const wrapped: Listener = (payload) => listener(payload);
  listeners.add(wrapped);
  return async () => {
    listeners.delete(wrapped);
  };
}

/**
 * Sends `payload` on `channel` to every listener: NOTIFY on PostgreSQL, a call on PGlite. Callers
 * notify after their transaction committed, so listeners only ever hear of committed work.
 */
export async function notify(db: StrataDb, channel: string, payload: string): Promise<void> {
  const channels = inProcess.get(db);
  if (!channels) {
    await db.execute(sql`select pg_notify(${channel}, ${payload})`);
    return;
  }
  // Like NOTIFY, never inside the notifier's own turn.
  for (const listener of channels.get(channel) ?? []) setImmediate(() => listener(payload));
}
