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
    // Straight to PGlite too, with the result shapes Drizzle's raw queries give (times as text),
    // as a named prepared statement: PGlite parses, describes and plans a parameterised query
    // every time it runs (0.6 ms for the load statement, against 0.15-0.2 ms for EXECUTE of the
    // same one prepared), in this thread. EXECUTE takes no bound parameters, so the values go
    // as literals (`sqlLiteral`), typed by the statement's own casts.
    const name = await preparedOn(client, statement);
    const call = `EXECUTE ${name}${args.length > 0 ? `(${args.map(sqlLiteral).join(', ')})` : ''}`;
    return (await client.query<Row>(call, [], pgliteRawQuery)).rows;
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

const preparedStatements = new WeakMap<PGlite, Map<string, Promise<string>>>();

/** The name of `statement` prepared on this PGlite (made on first use; a session keeps it). */
function preparedOn(client: PGlite, statement: string): Promise<string> {
  let byText = preparedStatements.get(client);
  if (!byText) {
    byText = new Map();
    preparedStatements.set(client, byText);
  }
  let name = byText.get(statement);
  if (!name) {
    const made = `strata_stmt_${byText.size + 1}`;
    name = client.exec(`PREPARE ${made} AS ${statement}`).then(() => made);
    // A statement that failed to prepare (the schema not there yet) is tried again next time.
    name.catch(() => byText?.delete(statement));
    byText.set(statement, name);
  }
  return name;
}

/**
 * A value as an SQL literal: `E'…'` with quotes and backslashes escaped (so the setting of
 * standard_conforming_strings does not matter), arrays as array literals, objects as JSON, null as
 * NULL. Untyped: the prepared statement's parameter types (its casts) give the type.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return `E'${literalText(value).replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

function literalText(value: unknown): string {
  if (Array.isArray(value)) return `{${value.map(arrayElement).join(',')}}`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return literalText(value);
  return `"${literalText(value).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}
