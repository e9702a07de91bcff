import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Sql } from 'postgres';
import type { StrataDb } from '../connection.ts';
import type { AppendResult, ExpectedVersion, NewEvent } from './types.ts';

/** One append request as `strata_append_batch` reads it. */
export interface WireAppendRequest {
  commandId?: string | undefined;
  streams: { streamId: string; streamType: string; expected: ExpectedVersion; events: NewEvent[] }[];
}

/** What `strata_append_batch` answers for one request. */
export type AppendOutcome =
  | AppendResult
  | { conflict: { streamId: string; expected: ExpectedVersion; actual: number }; duplicate?: undefined };

/**
 * Sends requests to `strata_append_batch` in one statement and returns one outcome per request.
 * Prepared, so PostgreSQL parses and plans it once per connection: one round trip however many.
 * The requests may not share a stream or a command id (the group commit queue sees to that). A
 * stream started concurrently by another transaction fails the statement with 40001: try again.
 * With `notify`, the statement also NOTIFYs the events channel when it appended anything, so
 * listeners hear of the events as they commit, with no statement of its own.
 */
export async function sendAppendBatch(
  db: StrataDb,
  requests: readonly WireAppendRequest[],
  options: { notify: boolean },
): Promise<AppendOutcome[]> {
  // Every stream the batch names, gathered here where it is cheap rather than in SQL (which sorts
  // them into its lock order itself).
  const streamIds = [...new Set(requests.flatMap((r) => r.streams.map((s) => s.streamId)))];
  const answer = await callAppendFunction(db, JSON.stringify({ streamIds, requests, notify: options.notify }));
  return requests.map((_, i) => {
    const key = String(i);
    const result = answer?.results[key];
    if (result) return { ...result, duplicate: false };
    const conflict = answer?.conflicts[key];
    if (conflict) return { conflict };
    const first = answer?.duplicates[key];
    if (first) return { ...first, duplicate: true };
    throw new Error(`strata_append_batch gave no answer for request ${i}: ${JSON.stringify(answer)}`);
  });
}

const appendCall = 'select strata_append_batch($1::jsonb) as answer';

/**
 * postgres.js straight, where there is one (a database, not a transaction): Drizzle's query
 * building and result mapping cost a sixth of the client's time per batch, and the call never
 * changes. Both ways send a prepared statement: one round trip, planned once per connection.
 */
async function callAppendFunction(db: StrataDb, batch: string): Promise<BatchAnswer | undefined> {
  // A transaction must keep its own connection: only the database itself has the pool.
  const client = db instanceof PgTransaction ? undefined : (db as { $client?: unknown }).$client;
  if (isPostgresJs(client)) {
    const [row] = await client.unsafe<{ answer: BatchAnswer }[]>(appendCall, [batch], { prepare: true });
    return row?.answer;
  }
  const [row] = await db
    .select({ answer: sql<BatchAnswer>`strata_append_batch(${sql.placeholder('batch')}::jsonb)` })
    .from(sql`(values (1)) as one(x)`)
    .prepare('strata_append_batch')
    .execute({ batch });
  return row?.answer;
}

function isPostgresJs(client: unknown): client is Sql {
  return typeof client === 'function' && typeof (client as Partial<Sql>).unsafe === 'function';
}

/** The function's answer, keyed by request index. */
interface BatchAnswer {
  results: Record<string, Omit<AppendResult, 'duplicate'>>;
  conflicts: Record<string, { streamId: string; expected: ExpectedVersion; actual: number }>;
  duplicates: Record<string, Omit<AppendResult, 'duplicate'>>;
}
