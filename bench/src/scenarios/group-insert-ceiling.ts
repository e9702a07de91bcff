/**
 * The ceiling for any Node client with group commit: `concurrency` closed-loop callers whose
 * one-row INSERTs (into the pgbench copy of the events table) go, while one statement is out,
 * together in the next as a single multi-row INSERT — the same batching Strata does, with none of
 * an event store's work (versions, streams, idempotency, results). The gap between this and
 * Strata is what the store's guarantees cost; the gap between this and pgbench is the client's.
 */
import postgres from 'postgres';
import type { BenchConfig } from '../config.ts';
import { warmupMs } from '../config.ts';
import { benchData, benchEventType, benchMetadata, benchStreamType } from '../events.ts';
import { type LoadResult, runLoad } from '../measure.ts';

const insertRows = `insert into pgbench_events (stream_id, stream_type, version, type, schema_version, data, metadata)
select id, '${benchStreamType}', 1, '${benchEventType}', 1, $2::jsonb, $3::jsonb from unnest($1::text[]) as id`;

export async function measureGroupInsertCeiling(
  url: string,
  concurrency: number,
  config: BenchConfig,
): Promise<LoadResult> {
  const client = postgres(url, { max: concurrency, onnotice: () => {} });
  let waiting: { streamId: string; done: (error?: unknown) => void }[] = [];
  let inFlight = false;
  // As Strata's queue: one statement out at a time, lingering two turns so callers just answered
  // can join the next one.
  const pump = () => {
    if (inFlight || waiting.length === 0) return;
    inFlight = true;
    setImmediate(() =>
      setImmediate(() => {
        const batch = waiting;
        waiting = [];
        // Objects: postgres.js serialises them for the jsonb parameters the prepared statement has.
        client
          .unsafe(insertRows, [batch.map((w) => w.streamId), benchData(1), benchMetadata], { prepare: true })
          .then(
            () => {
              for (const w of batch) w.done();
            },
            (error: unknown) => {
              for (const w of batch) w.done(error);
            },
          )
          .finally(() => {
            inFlight = false;
            pump();
          });
      }),
    );
  };
  try {
    return await runLoad({
      concurrency,
      durationMs: config.seconds * 1000,
      warmupMs: warmupMs(config),
      op: (worker, seq) =>
        new Promise<void>((resolve, reject) => {
          waiting.push({ streamId: `ceiling-${worker}-${seq}`, done: (error) => (error ? reject(error) : resolve()) });
          pump();
        }),
    });
  } finally {
    await client.end({ timeout: 5 });
  }
}
