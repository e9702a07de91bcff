import postgres from 'postgres';
import type { AdvisoryLock } from './connection.ts';

/** No wait on a lock connection may hang a worker: a dead TCP peer answers nothing at all. */
const lockQueryTimeoutMs = 5_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${lockQueryTimeoutMs} ms`)), lockQueryTimeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Session-level advisory locks on PostgreSQL, each on a connection of its own (not a `reserve()`d
 * pool connection: the pool stays whole for queries, and a lock's connection can be rebuilt).
 * A lock lives exactly as long as its backend: `stillHeld` compares the backend's pid with the one
 * that took the lock, so a connection the driver quietly re-opened after a fail-over, a restart or
 * an idle timeout reads as lost instead of as held.
 */
export function createAdvisoryLocks(url: string) {
  /** One idle connection per key this process waits on, reused by each retry. */
  const clients = new Map<string, postgres.Sql>();
  const clientFor = (key: string) => {
    let client = clients.get(key);
    if (!client) {
      // max_lifetime off: recycling the connection would drop the lock behind the holder's back.
      client = postgres(url, { max: 1, idle_timeout: 0, max_lifetime: null, connect_timeout: 5, onnotice: () => {} });
      clients.set(key, client);
    }
    return client;
  };
  /** Keys this process holds: a second taker here would share the holder's session, and with it the lock. */
  const held = new Set<string>();
  const forget = async (key: string, client: postgres.Sql) => {
    if (clients.get(key) === client) clients.delete(key);
    await client.end({ timeout: 1 }).catch(() => undefined);
  };

  return {
    async tryLock(key: string): Promise<AdvisoryLock | null> {
      if (held.has(key)) return null;
      const client = clientFor(key);
      let row: { locked: boolean; pid: number } | undefined;
      try {
        [row] = await withTimeout(
          client<{ locked: boolean; pid: number }[]>`
            select pg_try_advisory_lock(hashtextextended(${key}, 0)) as locked, pg_backend_pid() as pid`,
          'taking an advisory lock',
        );
      } catch (error) {
        await forget(key, client);
        throw error;
      }
      if (!row?.locked) return null;
      const pid = row.pid;
      held.add(key);
      let released = false;
      const lost = async () => {
        released = true;
        held.delete(key);
        await forget(key, client);
      };
      return {
        async stillHeld() {
          if (released) return false;
          try {
            const [same] = await withTimeout(
              client<{ same: boolean }[]>`select pg_backend_pid() = ${pid} as same`,
              'checking an advisory lock',
            );
            if (same?.same) return true;
          } catch {
            // The connection is gone, and the lock with it.
          }
          await lost();
          return false;
        },
        async release() {
          if (released) return;
          released = true;
          held.delete(key);
          try {
            await withTimeout(
              client`select pg_advisory_unlock(hashtextextended(${key}, 0)) where pg_backend_pid() = ${pid}`,
              'releasing an advisory lock',
            );
          } catch {
            // Gone with its connection; ending the client below makes sure of it.
            await forget(key, client);
          }
        },
      };
    },
    /** Waits for the lock (blocking), runs `fn`, and unlocks: for one-off work such as migrations. */
    async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const client = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {} });
      try {
        await client`select pg_advisory_lock(hashtextextended(${key}, 0))`;
        return await fn();
      } finally {
        // Ending the session releases the lock even when the unlock cannot be sent.
        await client.end({ timeout: 1 }).catch(() => undefined);
      }
    },
    async close() {
      await Promise.all([...clients.entries()].map(([key, client]) => forget(key, client)));
    },
  };
}
