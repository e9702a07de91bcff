import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { StrataDb } from '../connection.ts';
import { announceAppended } from './announce.ts';
import { databaseErrorOf, InvalidAppendError, WrongExpectedVersionError } from './errors.ts';
import { type AppendRequest, type AppendResult, appendRequestSchema, type ExpectedVersion } from './types.ts';

/**
 * Appends events to one or several streams in one transaction — the one append path.
 *
 * Each stream is checked against its expected version; any mismatch throws
 * {@link WrongExpectedVersionError} and writes nothing. With a `commandId` that already committed,
 * the first result comes back with `duplicate: true` and nothing is written, also when both
 * arrive at once. Costs one round trip; pass a transaction to append alongside other writes (and
 * call {@link announceAppended} after it commits, so listeners wake at once).
 */
export async function appendToStreams(db: StrataDb, request: AppendRequest): Promise<AppendResult> {
  const parsed = appendRequestSchema.safeParse(request);
  if (!parsed.success) throw new InvalidAppendError(parsed.error.issues);
  const payload = {
    commandId: parsed.data.commandId,
    streams: parsed.data.streams.map((s) => ({
      streamId: s.streamId,
      streamType: s.streamType,
      expected: s.expectedVersion,
      events: s.events,
    })),
  };
  let result: AppendResult;
  try {
    // Prepared, so PostgreSQL parses and plans it once per connection: one round trip an append.
    const [row] = await db
      .select({ result: sql<AppendResult>`strata_append(${sql.placeholder('request')}::jsonb)` })
      .from(sql`(values (1)) as one(x)`)
      .prepare('strata_append')
      .execute({ request: JSON.stringify(payload) });
    if (!row) throw new Error('strata_append returned no row');
    result = normalise(row.result);
  } catch (error) {
    throw translateAppendError(error);
  }
  // Inside a transaction the events are not visible yet: whoever commits it announces them.
  if (!result.duplicate && !(db instanceof PgTransaction)) announceAppended(db);
  return result;
}

/** Appends to a single stream; see {@link appendToStreams}. */
export function appendToStream(
  db: StrataDb,
  stream: { streamId: string; streamType: string; expectedVersion: ExpectedVersion },
  events: AppendRequest['streams'][number]['events'],
  options: { commandId?: string } = {},
): Promise<AppendResult> {
  return appendToStreams(db, { ...options, streams: [{ ...stream, events }] });
}

function normalise(result: AppendResult): AppendResult {
  // jsonb numbers arrive as numbers on both engines, but positions may be strings in old results.
  return {
    ...result,
    position: Number(result.position),
    streams: result.streams.map((s) => ({
      ...s,
      version: Number(s.version),
      firstPosition: Number(s.firstPosition),
      lastPosition: Number(s.lastPosition),
    })),
  };
}

function translateAppendError(error: unknown): unknown {
  const dbError = databaseErrorOf(error);
  if (dbError?.code === 'ES409' && dbError.detail) {
    const detail = JSON.parse(dbError.detail) as { streamId: string; expected: ExpectedVersion; actual: number };
    return new WrongExpectedVersionError(detail.streamId, detail.expected, detail.actual);
  }
  return error;
}
