import type { PGlite, QueryOptions } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Sql } from 'postgres';
import type { StrataDb } from './connection.ts';

/**
 * Runs raw SQL and returns its rows on either engine: postgres.js answers with an array of rows,
 * PGlite with `{ rows }`.
 */
export async function queryRows<Row>(db: StrataDb, query: SQL): Promise<Row[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as Row[];
  return ((result as { rows?: Row[] }).rows ?? []) as Row[];
}

/**
 * Runs a fixed statement with `$n` parameters as a prepared statement: parsed and planned once per
 * connection, one round trip. On postgres.js it goes straight to the driver, where there is one (a
 * database, not a transaction): Drizzle's query building and result mapping cost a sixth of the
 * client's time on the hot paths. Otherwise (PGlite, a transaction) through Drizzle.
 */
export async function runPrepared<Row>(db: StrataDb, statement: string, args: readonly unknown[]): Promise<Row[]> {
  // A transaction must keep its own connection: only the database itself has the pool.
  const client = db instanceof PgTransaction ? undefined : (db as { $client?: unknown }).$client;
  if (isPostgresJs(client)) {
    // postgres.js types the parameters from the statement, so arrays and nulls go as they are.
    return await client.unsafe<Row[]>(statement, args as never[], { prepare: true });
  }
  if (isPglite(client)) {
    // Straight to PGlite too, with the result shapes Drizzle's raw queries give (times as text).
    return (await client.query<Row>(statement, args as unknown[], pgliteRawQuery)).rows;
  }
  // Each $n becomes a parameter of its own (sql.param: Drizzle would spread an array into a list).
  const parts = statement.split(/\$(\d+)/);
  const chunks = parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql.param(args[Number(part) - 1])));
  return await queryRows<Row>(db, sql.join(chunks));
}

const keepText = (value: string) => value;
/** Drizzle's PGlite session leaves date and time types as text; so do we (the readers parse them). */
const pgliteRawQuery: QueryOptions = {
  rowMode: 'object',
  parsers: {
    1082: keepText,
    1114: keepText,
    1184: keepText,
    1186: keepText,
    1115: keepText,
    1182: keepText,
    1185: keepText,
    1187: keepText,
    1231: keepText,
  },
};

function isPglite(client: unknown): client is PGlite {
  return (
    typeof client === 'object' &&
    client !== null &&
    typeof (client as Partial<PGlite>).query === 'function' &&
    typeof (client as Partial<PGlite>).exec === 'function'
  );
}

function isPostgresJs(client: unknown): client is Sql {
  return typeof client === 'function' && typeof (client as Partial<Sql>).unsafe === 'function';
}
