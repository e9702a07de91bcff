import { PgTransaction } from 'drizzle-orm/pg-core';
import type { StrataDb } from '../connection.ts';
import { vaultOf } from '../personal-data/vault-of.ts';
import { type AppendOutcome, sendAppendBatch, type WireAppendRequest } from './append-batch.ts';
import { InvalidAppendError, WrongExpectedVersionError } from './errors.ts';
import { submitAppend } from './group-commit.ts';
import { reportToObservers } from './observer.ts';
import { regroup } from './regroup.ts';
import { type AppendRequest, type AppendResult, appendRequestSchema, type ExpectedVersion } from './types.ts';

/**
 * Appends events to one or several streams in one transaction — the one append path.
 *
 * Each stream is checked against its expected version; any mismatch throws
 * {@link WrongExpectedVersionError} and writes nothing. With a `commandId` that already committed,
 * the first result comes back with `duplicate: true` and nothing is written, also when both
 * arrive at once. Costs one round trip. On a database, concurrent appends share a statement and
 * a commit (group commit), each keeping its own outcome. Pass a transaction to append alongside
 * other writes; then call {@link announceAppended} after it commits, so listeners wake at once.
 */
export async function appendToStreams(
  db: StrataDb,
  request: AppendRequest,
  /**
   * In a caller's transaction on PostgreSQL: NOTIFY listeners from the append statement itself, so
   * they hear of the events exactly at the caller's commit and nobody needs to announce them.
   */
  options: {
    notifyInTransaction?: boolean;
    /** Inline read-model changes written by the append's own statement, if it writes the events. */
    rows?: WireAppendRequest['rows'];
  } = {},
): Promise<AppendResult> {
  const parsed = appendRequestSchema.safeParse(request);
  if (!parsed.success) throw new InvalidAppendError(parsed.error.issues);
  // Personal fields enter the log sealed, whoever appends them.
  const sealed = await vaultOf(db).seal(
    db,
    parsed.data.streams.flatMap((s) => s.events),
  );
  const sealedByStream = regroup(
    parsed.data.streams.map((s) => s.events),
    sealed,
  );
  const wire: WireAppendRequest = {
    commandId: parsed.data.commandId,
    streams: parsed.data.streams.map((s, i) => ({
      streamId: s.streamId,
      streamType: s.streamType,
      expected: s.expectedVersion,
      events: (sealedByStream[i] ?? []).map(({ personal: _, ...event }) => event),
    })),
    rows: options.rows,
  };
  // A transaction's appends cannot share its commit with anyone: they go alone, and whoever
  // commits the transaction announces them.
  const outcome = isTransaction(db)
    ? (await sendAppendBatch(db, [wire], { notify: options.notifyInTransaction ?? false }))[0]
    : await submitAppend(db, wire);
  if (!outcome) throw new Error('strata_append_events gave no outcome');
  const events = wire.streams.reduce((sum, s) => sum + s.events.length, 0);
  const answered = 'conflict' in outcome ? 'conflict' : outcome.duplicate ? 'duplicate' : 'appended';
  reportToObservers((o) => o.appended?.({ outcome: answered, events: answered === 'appended' ? events : 0 }));
  return resultOf(outcome);
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

// Not a type guard: narrowing to PgTransaction would lose StrataDb's schema type.
function isTransaction(db: StrataDb): boolean {
  return db instanceof PgTransaction;
}

function resultOf(outcome: AppendOutcome): AppendResult {
  if ('conflict' in outcome) {
    const { streamId, expected, actual } = outcome.conflict;
    throw new WrongExpectedVersionError(streamId, expected, Number(actual));
  }
  // jsonb numbers arrive as numbers on both engines, but positions may be strings in old results.
  return {
    ...outcome,
    position: Number(outcome.position),
    streams: outcome.streams.map((s) => ({
      ...s,
      version: Number(s.version),
      firstPosition: Number(s.firstPosition),
      lastPosition: Number(s.lastPosition),
    })),
  };
}
