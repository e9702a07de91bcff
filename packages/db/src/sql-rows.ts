import type { SQL } from 'drizzle-orm';
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
