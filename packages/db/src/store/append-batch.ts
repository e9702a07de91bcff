import { sql } from 'drizzle-orm';
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
 */
export async function sendAppendBatch(db: StrataDb, requests: readonly WireAppendRequest[]): Promise<AppendOutcome[]> {
  const [row] = await db
    .select({ outcomes: sql<AppendOutcome[]>`strata_append_batch(${sql.placeholder('requests')}::jsonb)` })
    .from(sql`(values (1)) as one(x)`)
    .prepare('strata_append_batch')
    .execute({ requests: JSON.stringify(requests) });
  const outcomes = row?.outcomes;
  if (!Array.isArray(outcomes) || outcomes.length !== requests.length) {
    throw new Error(`strata_append_batch answered ${requests.length} requests with ${JSON.stringify(outcomes)}`);
  }
  return outcomes;
}
