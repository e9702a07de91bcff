import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { createAdvisoryLocks } from './advisory-locks.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { deliverInProcess, listenInProcess } from './notifications.ts';
import { migrateLegacyPersonalData } from './personal-data/legacy-migration.ts';
import { resolveMasterKey } from './personal-data/master-key.ts';
import { createPersonalDataVault, type PersonalDataVault } from './personal-data/vault.ts';
import { attachVault } from './personal-data/vault-of.ts';
import { createPostgresListener } from './postgres-listener.ts';
import * as schema from './schema/index.ts';

export { DataDirInUseError } from './data-dir-lock.ts';

export type Schema = typeof schema;
export type Engine = 'pglite' | 'postgres';

/** A Drizzle database or transaction on either engine; every store function takes one. */
// biome-ignore lint/suspicious/noExplicitAny: the two drivers differ only in their result HKT
export type StrataDb = PgDatabase<PgQueryResultHKT, Schema, any>;

export type Unlisten = () => Promise<void>;

/** A held session-level advisory lock; it is released when its holder dies, too. */
export interface AdvisoryLock {
  release(): Promise<void>;
  /** Resolves false when the connection holding the lock is gone. */
  stillHeld(): Promise<boolean>;
}

/** An open database: Drizzle for queries, LISTEN for wake-ups, and one way to close it. */
export interface Database {
  readonly engine: Engine;
  readonly db: StrataDb;
  /** Calls `onNotify` with each payload sent on `channel`; resolves once listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<Unlisten>;
  /**
   * Takes a session-level advisory lock if nobody holds it. On PostgreSQL it lives on a
   * connection of its own, so it is released the moment this process dies; on PGlite (one
   * process) it is held in memory.
   */
  tryAdvisoryLock(key: string): Promise<AdvisoryLock | null>;
  /** Seals and opens personal data, names email streams, forgets people (see issue 16 in NOTES). */
  readonly personalData: PersonalDataVault;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A `postgres://` URL. Without one, Strata runs on embedded PGlite. */
  url?: string | undefined;
  /** PGlite's data folder; `memory://` keeps everything in memory. Ignored with a URL. */
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL. */
  maxConnections?: number | undefined;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean | undefined;
  /** The master key (base64, 32 bytes); default `STRATA_MASTER_KEY`, see {@link resolveMasterKey}. */
  masterKey?: string | undefined;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Opens PostgreSQL when a URL is given, PGlite otherwise, and applies pending migrations, so a
 * user never runs a migrate step by hand.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  // Before anything connects: a missing or malformed key refuses to start, having written nothing.
  const dataDir = options.dataDir ?? './.data';
  const inMemory = dataDir === 'memory://' || dataDir === '';
  if (!options.url && !inMemory) mkdirSync(dataDir, { recursive: true });
  const masterKey = resolveMasterKey({
    given: options.masterKey,
    engine: options.url ? 'postgres' : 'pglite',
    dataDir: options.url || inMemory ? undefined : dataDir,
  });
  const vault = createPersonalDataVault(masterKey);
  const database = options.url
    ? openPostgres(options.url, options.maxConnections ?? 10, vault)
    : await openPglite(dataDir, vault);
  attachVault(database.db, vault);
  try {
    if (options.migrate ?? true) {
      // A wrong key stops the start before a pending migration writes anything.
      await vault.verifyMasterKey(database.db, { record: false });
      await database.migrate();
      await vault.verifyMasterKey(database.db);
      // Events from before issue 16 get their personal data sealed, once (see legacy-migration.ts).
      await migrateLegacyPersonalData(database);
    }
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  return database;
}

interface MigratableDatabase extends Database {
  migrate(): Promise<void>;
}

function openPostgres(url: string, max: number, personalData: PersonalDataVault): MigratableDatabase {
  // connect_timeout: while the server is unreachable a request fails within seconds (and the api
  // answers 503) instead of waiting the driver's default 30 s.
  const client = postgres(url, { max, connect_timeout: 5, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema });
  const locks = createAdvisoryLocks(url);
  const listener = createPostgresListener(url);
  return {
    engine: 'postgres',
    db,
    personalData,
    listen: (channel, onNotify) => listener.listen(channel, onNotify),
    tryAdvisoryLock: (key) => locks.tryLock(key),
    async migrate() {
      // Processes starting together on an empty database would create the same tables at once.
      await locks.withLock('strata:migrations', () => migratePostgres(db, { migrationsFolder }));
    },
    async close() {
      await Promise.all([locks.close(), listener.close()]);
      await client.end({ timeout: 5 });
    },
  };
}

async function openPglite(dataDir: string, personalData: PersonalDataVault): Promise<MigratableDatabase> {
  const inMemory = dataDir === 'memory://' || dataDir === '';
  // PGlite itself does not stop a second process from opening the folder (and corrupting it).
  const releaseFolder = inMemory ? () => {} : lockDataDir(dataDir);
  let client: PGlite;
  try {
    client = inMemory ? await PGlite.create() : await PGlite.create(dataDir);
  } catch (error) {
    releaseFolder();
    throw error;
  }
  const db = drizzlePglite(client, { schema });
  deliverInProcess(db);
  const heldLocks = new Set<string>();
  return {
    engine: 'pglite',
    db,
    personalData,
    listen: async (channel, onNotify) => listenInProcess(db, channel, onNotify),
    async tryAdvisoryLock(key) {
      if (heldLocks.has(key)) return null;
      heldLocks.add(key);
      return {
        stillHeld: async () => heldLocks.has(key),
        release: async () => {
          heldLocks.delete(key);
        },
      };
    },
    async migrate() {
      await migratePglite(db, { migrationsFolder });
    },
    async close() {
      try {
        await client.close();
      } finally {
        releaseFolder();
      }
    },
  };
}
