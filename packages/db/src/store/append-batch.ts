import type { StrataDb } from '../connection.ts';
import { type RowTable, rowWriteCtes, type WireRowChange } from '../projections/row-writes.ts';
import { runPrepared } from '../sql-rows.ts';
import type { AppendResult, ExpectedVersion, NewEvent } from './types.ts';

/** One append request as the group commit queue holds it. */
export interface WireAppendRequest {
  commandId?: string | undefined;
  streams: { streamId: string; streamType: string; expected: ExpectedVersion; events: NewEvent[] }[];
  /** Inline read-model changes that go in the append's statement, only if the request is written. */
  rows?: { writer: RowWriter; changes: readonly WireRowChange[] } | undefined;
}

/**
 * The append statement for a set of inline tables: `strata_append_events`, then each table's row
 * changes of the requests it wrote, in the same statement and so the same commit. Requests with
 * different writers never share a batch.
 */
export interface RowWriter {
  /** The statement for a batch whose changes touch these tables (one per set, built once). */
  statementFor(tableNames: readonly string[]): string;
}

/**
 * When row changes are computed, before the append, the database has not stamped the events yet:
 * projectors get this time and the statement puts the commit's own `now()` in its place. (Inputs
 * only take dates from 1970 on, so no real value is ever mistaken for it.)
 */
export const recordedAtPlaceholder = new Date('0001-01-01T00:00:00.000Z');

/**
 * Builds the {@link RowWriter} for `tables`. A statement names only the tables its batch touches:
 * it is smaller to plan and run, and it locks only those tables (a rebuild of one inline read
 * model does not hold up commands that never write it).
 */
export function createRowWriter(tables: readonly RowTable[]): RowWriter {
  const placeholder = JSON.stringify(recordedAtPlaceholder);
  const statements = new Map<string, string>();
  const statementOf = (names: readonly string[]) => `WITH appended AS MATERIALIZED (
    SELECT * FROM strata_append_events($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)),
  accepted AS MATERIALIZED (
    SELECT DISTINCT ($4::int[])[a.pair] AS req FROM appended a WHERE a.transaction_id IS NOT NULL),
  row_changes AS MATERIALIZED (
    SELECT c.v->>'t' AS t, c.v->>'k' AS k, c.v->'v' AS v
      FROM jsonb_array_elements(replace($13::text, '${placeholder}',
             to_jsonb(date_trunc('milliseconds', now()))::text)::jsonb) AS c(v)
     WHERE (c.v->>'r')::int IN (SELECT req FROM accepted)),
  ${rowWriteCtes(
    tables.filter((t) => names.includes(t.name)),
    'row_changes',
  ).join(',\n  ')}
  SELECT * FROM appended ORDER BY pair`;
  return {
    statementFor(tableNames) {
      const names = tables.map((t) => t.name).filter((name) => tableNames.includes(name));
      const key = names.join(',');
      let statement = statements.get(key);
      if (!statement) {
        statement = statementOf(names);
        statements.set(key, statement);
      }
      return statement;
    },
  };
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
  const args = argumentsOf(requests, options.notify);
  const writer = requests.find((r) => r.rows)?.rows?.writer;
  const changes = requests.flatMap((request, i) => (request.rows?.changes ?? []).map((c) => ({ ...c, r: i + 1 })));
  let statement = appendCall;
  if (writer && changes.length > 0) {
    args.push(JSON.stringify(changes));
    statement = writer.statementFor([...new Set(changes.map((c) => c.t))]);
  }
  const rows = await runPrepared<PairRow>(db, statement, args);
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
