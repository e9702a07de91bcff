import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { type Database, type Engine, openDatabase } from '../connection.ts';

/**
 * Test support: every database test runs on PGlite and, when `DATABASE_URL` names a PostgreSQL
 * server, on PostgreSQL too. In CI a missing URL is an error, not a skip.
 */
export interface TestEngine {
  name: Engine;
  /** Why this engine cannot run here, or undefined when it can. */
  unavailable: string | undefined;
}

export function testEngines(): TestEngine[] {
  const url = process.env.DATABASE_URL;
  if (!url && process.env.CI) {
    throw new Error('CI must run the database tests on PostgreSQL too: set DATABASE_URL (see .ci/run)');
  }
  return [
    { name: 'pglite', unavailable: undefined },
    {
      name: 'postgres',
      unavailable: url ? undefined : 'DATABASE_URL is not set: PostgreSQL tests skipped (set it to run them)',
    },
  ];
}

export interface TestDatabase {
  database: Database;
  /** For PostgreSQL, the URL of the throwaway database (other processes may connect to it). */
  url: string | undefined;
  /** Closes the connection and drops the throwaway database. */
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own: in-memory PGlite, or a new PostgreSQL database. */
export async function createTestDatabase(
  engine: Engine,
  /** `migrate: false` leaves it empty, as a fresh server's database is before the first start. */
  options: { maxConnections?: number; migrate?: boolean } = {},
): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  if (engine === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://', migrate });
    return { database, url: undefined, drop: () => database.close() };
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL is not set');
  const name = `strata_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let database: Database;
  try {
    database = await openDatabase({ url: url.toString(), maxConnections: options.maxConnections ?? 40, migrate });
  } catch (error) {
    // A migration that fails must not leave its database behind.
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
    throw error;
  }
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/**
 * A fresh database for the enclosing `describe`: made before its tests, dropped after them. The
 * returned object reads the current one, so it can be used at declaration time.
 */
export function useTestDatabase(engine: Engine, options: { maxConnections?: number } = {}): TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase(engine, options);
  });
  afterAll(async () => {
    await current?.drop();
  });
  const made = () => {
    if (!current) throw new Error('the test database is made in beforeAll: use it inside a test or hook');
    return current;
  };
  return {
    get database() {
      return made().database;
    },
    get url() {
      return made().url;
    },
    drop: () => made().drop(),
  };
}
