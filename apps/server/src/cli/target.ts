import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Database, openDatabase } from '@strata/db';

/** Which database a command works on: PostgreSQL through DATABASE_URL, or a PGlite folder. */
export interface Target {
  databaseUrl: string | undefined;
  /** Absolute. */
  dataDir: string;
}

/**
 * DATABASE_URL, else `--data-dir`, DATA_DIR or ./.data as the api has it. A relative folder is
 * taken from where the command was typed: `npm run strata -w @strata/server` runs in apps/server, but
 * npm passes the caller's folder as INIT_CWD.
 */
export function targetOf(values: { 'data-dir'?: string | undefined }, env = process.env): Target {
  const dataDir = values['data-dir'] ?? env.DATA_DIR ?? './.data';
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.INIT_CWD ?? process.cwd(), dataDir),
  };
}

export function describeTarget(target: Target): string {
  if (!target.databaseUrl) return `PGlite in ${target.dataDir}`;
  const url = new URL(target.databaseUrl);
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
}

/**
 * Opens the target and applies pending migrations, as the api does on start. Commands that only
 * read (`existing: true`) refuse a PGlite folder that does not exist rather than create an empty
 * database there.
 */
export async function openTarget(target: Target, options: { existing?: boolean } = {}): Promise<Database> {
  if (!target.databaseUrl && options.existing && !existsSync(target.dataDir)) {
    throw new Error(
      `no PGlite data folder at ${target.dataDir}: pass --data-dir (or set DATA_DIR or DATABASE_URL) to say where the data is`,
    );
  }
  return openDatabase({ url: target.databaseUrl, dataDir: target.dataDir, maxConnections: 4 });
}

/** Opens the target, runs `work`, and closes it whatever happens. */
export async function withDatabase<T>(
  target: Target,
  options: { existing?: boolean },
  work: (database: Database) => Promise<T>,
): Promise<T> {
  const database = await openTarget(target, options);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
