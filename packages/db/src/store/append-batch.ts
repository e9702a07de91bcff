import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Sql } from 'postgres';
import type { StrataDb } from '../connection.ts';
import type { AppendResult, ExpectedVersion, NewEvent } from './types.ts';

/** One append request as the group commit queue holds it. */
export interface WireAppendRequest {
  commandId?: string | undefined;
  streams: { streamId: string; streamType: string; expected: ExpectedVersion; events: NewEvent[] }[];
}

/** What `strata_append_events` answers for one request. */
export type AppendOutcome =
  | AppendResult
  | { conflict: { streamId: string; expected: ExpectedVersion; actual: number }; duplicate?: undefined };

/**
 * Sends requests to `strata_append_events` in one statement and returns one outcome per request.
 * Prepared, so PostgreSQL parses and plans it once per connection: one round trip however many.
 * The requests may not share a stream or a command id (the group commit queue sees to that). A
 * command id a concurrent batch was committing fails the statement with 23505 (see
 * {@link isRetryableAppendError}): try again. With `notify`, the statement also NOTIFYs the events
 * channel as it commits, so listeners hear of the events with no statement of their own.
 */
export async function sendAppendBatch(
  db: StrataDb,
  requests: readonly WireAppendRequest[],
  options: { notify: boolean },
): Promise<AppendOutcome[]> {
  const rows = await callAppendFunction(db, argumentsOf(requests, options.notify));
  const pairs = requests.reduce((sum, r) => sum + r.streams.length, 0);
  if (rows.length !== pairs) {
    throw new Error(`strata_append_events answered ${rows.length} rows for ${pairs} streams`);
  }
  let next = 0;
  return requests.map((request) => {
    const answers = request.streams.map((stream) => ({ stream, row: rows[next++] as PairRow }));
    return outcomeOf(answers);
  });
}

/** The function's arguments, in its order: per (request, stream) pair, per event, per request. */
function argumentsOf(requests: readonly WireAppendRequest[], notify: boolean): unknown[] {
  const streamIds: string[] = [];
  const streamTypes: string[] = [];
  const expected: (number | null)[] = [];
  const requestNumbers: number[] = [];
  const counts: number[] = [];
  const eventIds: (string | null)[] = [];
  const types: string[] = [];
  const schemaVersions: number[] = [];
  const data: string[] = [];
  const metadata: string[] = [];
  const commandIds: (string | null)[] = [];
  requests.forEach((request, i) => {
    commandIds.push(request.commandId ?? null);
    for (const stream of request.streams) {
      streamIds.push(stream.streamId);
      streamTypes.push(stream.streamType);
      expected.push(expectedNumber(stream.expected));
      requestNumbers.push(i + 1);
      counts.push(stream.events.length);
      for (const event of stream.events) {
        eventIds.push(event.eventId ?? null);
        types.push(event.type);
        schemaVersions.push(event.schemaVersion ?? 1);
        data.push(JSON.stringify(event.data));
        metadata.push(JSON.stringify(event.metadata ?? {}));
      }
    }
  });
  return [
    streamIds,
    streamTypes,
    expected,
    requestNumbers,
    counts,
    eventIds,
    types,
    schemaVersions,
    `[${data.join(',')}]`,
    `[${metadata.join(',')}]`,
    commandIds,
    notify,
  ];
}

/** `any` checks nothing; `none` is version 0, where every stream starts. */
function expectedNumber(expected: ExpectedVersion): number | null {
  if (expected === 'any') return null;
  return expected === 'none' ? 0 : expected;
}

/** One row of the answer: a (request, stream) pair. */
interface PairRow {
  actual: number;
  first_position: string | number | bigint | null;
  last_position: string | number | bigint | null;
  duplicate: Omit<AppendResult, 'duplicate'> | null;
  transaction_id: string | null;
  recorded_at: string | null;
}

function outcomeOf(answers: { stream: WireAppendRequest['streams'][number]; row: PairRow }[]): AppendOutcome {
  const first = answers[0]?.row;
  if (!first) throw new Error('an append request without streams');
  if (first.duplicate) return { ...first.duplicate, duplicate: true };
  if (first.transaction_id === null) {
    const refused = answers.find(({ stream, row }) => !matches(stream.expected, row.actual));
    if (!refused) throw new Error('strata_append_events refused a request whose versions all matched');
    const { stream, row } = refused;
    return { conflict: { streamId: stream.streamId, expected: stream.expected, actual: row.actual } };
  }
  const streams = answers.map(({ stream, row }) => ({
    streamId: stream.streamId,
    version: row.actual + stream.events.length,
    firstPosition: Number(row.first_position),
    lastPosition: Number(row.last_position),
  }));
  return {
    streams,
    position: Math.max(...streams.map((s) => s.lastPosition)),
    transactionId: first.transaction_id,
    recordedAt: first.recorded_at ?? '',
    duplicate: false,
  };
}

function matches(expected: ExpectedVersion, actual: number): boolean {
  const wanted = expectedNumber(expected);
  return wanted === null || wanted === actual;
}

const appendCall = 'select * from strata_append_events($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)';

/**
 * postgres.js straight, where there is one (a database, not a transaction): Drizzle's query
 * building and result mapping cost a sixth of the client's time per batch, and the call never
 * changes. Both ways send a prepared statement: one round trip, planned once per connection.
 */
async function callAppendFunction(db: StrataDb, args: unknown[]): Promise<PairRow[]> {
  // A transaction must keep its own connection: only the database itself has the pool.
  const client = db instanceof PgTransaction ? undefined : (db as { $client?: unknown }).$client;
  if (isPostgresJs(client)) {
    // postgres.js types the parameters from the statement, so arrays and nulls go as they are.
    return await client.unsafe<PairRow[]>(appendCall, args as never[], { prepare: true });
  }
  const placeholders = args.map((_, i) => sql.placeholder(`p${i + 1}`));
  const values = Object.fromEntries(args.map((value, i) => [`p${i + 1}`, value]));
  return (await db
    .select({
      actual: sql<number>`a.actual`,
      first_position: sql<string | null>`a.first_position`,
      last_position: sql<string | null>`a.last_position`,
      duplicate: sql<PairRow['duplicate']>`a.duplicate`,
      transaction_id: sql<string | null>`a.transaction_id`,
      recorded_at: sql<string | null>`a.recorded_at`,
    })
    .from(sql`strata_append_events(${sql.join(placeholders, sql`, `)}) as a`)
    .prepare('strata_append_events')
    .execute(values)) as PairRow[];
}

function isPostgresJs(client: unknown): client is Sql {
  return typeof client === 'function' && typeof (client as Partial<Sql>).unsafe === 'function';
}
