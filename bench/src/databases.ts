/** Throwaway databases: every measurement gets a fresh one, and none outlives the run. */
import { randomBytes } from 'node:crypto';
import { type Database, openDatabase, type StrataDb } from '@strata/db';

/** Where a Strata measurement runs: in-memory PGlite, or a new database on a PostgreSQL server. */
export type Target = { engine: 'pglite' } | { engine: 'postgres'; serverUrl: string };

/**
 * Runs raw SQL on either engine and returns its rows. Raw text (not a Drizzle `sql` template) keeps
 * the bench on its declared dependencies, and postgres.js sends it with the simple protocol, which
 * `create database` and multi-statement scripts need.
 */
export async function rawRows<Row>(db: StrataDb, text: string): Promise<Row[]> {
  const result: unknown = await db.execute(text);
  if (Array.isArray(result)) return result as Row[];
  return ((result as { rows?: Row[] }).rows ?? []) as Row[];
}

/** The URL of another database on the same server. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(serverUrl: string, fn: (db: StrataDb) => Promise<T>): Promise<T> {
  // No migrations: the admin connection only creates and drops databases.
  const admin = await openDatabase({ url: serverUrl, migrate: false, maxConnections: 1 });
  try {
    return await fn(admin.db);
  } finally {
    await admin.close();
  }
}

/** Why the server cannot be used, or undefined when it answers. */
export async function probeServer(serverUrl: string): Promise<string | undefined> {
  const url = new URL(serverUrl);
  // postgres.js waits 30 s for a connection by default; a missing server should not stall the run.
  url.searchParams.set('connect_timeout', '3');
  try {
    await withAdmin(url.toString(), (db) => rawRows(db, 'select 1'));
    return undefined;
  } catch (error) {
    return rootMessage(error);
  }
}

/** Drizzle wraps driver errors in "Failed query: …"; the useful words (ECONNREFUSED…) are inside. */
function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause !== undefined) current = current.cause;
  if (current instanceof Error) return current.message || (current as { code?: string }).code || current.name;
  return String(current);
}

/** Databases created and not yet dropped, so an interrupted run can still drop them. */
const live = new Map<string, string>();

/**
 * Creates `<prefix>_<random>` on the server, hands its URL to `fn`, and drops it afterwards, also
 * when `fn` throws. `with (force)` ends connections a failed scenario may have left open.
 */
export async function withThrowawayDatabase<T>(
  serverUrl: string,
  prefix: string,
  fn: (url: string) => Promise<T>,
): Promise<T> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (db) => rawRows(db, `create database ${name}`));
  live.set(name, serverUrl);
  try {
    return await fn(databaseUrl(serverUrl, name));
  } finally {
    await withAdmin(serverUrl, async (db) => {
      await waitForDisconnects(db, name);
      await rawRows(db, `drop database if exists ${name} with (force)`);
    });
    live.delete(name);
  }
}

/**
 * pg-pool's `end()` (under Emmett's `close()`) resolves before its clients have said goodbye; a
 * forced drop then kills those backends and the FATAL arrives as an unhandled pool 'error' that
 * crashes the process. Waiting (bounded) for them to leave keeps the forced drop for real leftovers.
 */
async function waitForDisconnects(db: StrataDb, name: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const [row] = await rawRows<{ n: number | string }>(
      db,
      `select count(*) as n from pg_stat_activity where datname = '${name}'`,
    );
    if (Number(row?.n ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A migrated Strata database on the target, closed (and dropped) when `fn` settles. */
export async function withStrataDatabase<T>(
  target: Target,
  options: { maxConnections?: number },
  fn: (database: Database, url: string | undefined) => Promise<T>,
): Promise<T> {
  if (target.engine === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    try {
      return await fn(database, undefined);
    } finally {
      await database.close();
    }
  }
  return withThrowawayDatabase(target.serverUrl, 'strata_bench', async (url) => {
    const database = await openDatabase({ url, maxConnections: options.maxConnections ?? 10 });
    try {
      return await fn(database, url);
    } finally {
      await database.close();
    }
  });
}

/** On Ctrl-C or SIGTERM, `finally` blocks never run: drop what is left, then exit. */
export function dropLeftoversOnSignal(): void {
  const handler = (signal: NodeJS.Signals) => {
    const pending = [...live].map(([name, serverUrl]) =>
      withAdmin(serverUrl, (db) => rawRows(db, `drop database if exists ${name} with (force)`)).catch(() => {}),
    );
    if (pending.length > 0) console.error(`\n${signal}: dropping ${pending.length} bench database(s)…`);
    void Promise.all(pending).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
