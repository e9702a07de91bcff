/** One-event appends to fresh streams: the cost of the common write path under contention. */
import { appendToStream, type Database } from '@strata/db';
import { type BenchConfig, warmupMs } from '../config.ts';
import { withStrataDatabase } from '../databases.ts';
import { benchEvent, benchStreamType, streamIdFactory } from '../events.ts';
import { type LoadResult, runLoad } from '../measure.ts';
import type { Scenario } from '../scenario.ts';

export const appendConcurrencies = [1, 8, 32] as const;

/** Closed-loop one-event appends at `concurrency`; shared by the scenarios that compare against us. */
export function measureStrataAppends(
  database: Database,
  concurrency: number,
  config: BenchConfig,
): Promise<LoadResult> {
  const streamId = streamIdFactory();
  return runLoad({
    concurrency,
    durationMs: config.seconds * 1000,
    warmupMs: warmupMs(config),
    op: async (worker, seq) => {
      await appendToStream(
        database.db,
        { streamId: streamId(worker, seq), streamType: benchStreamType, expectedVersion: 'none' },
        [benchEvent(seq)],
      );
    },
  });
}

export const appendScenario: Scenario = {
  name: 'append',
  description: 'one-event appends to fresh streams at concurrency 1, 8 and 32',
  async run({ config, targets, report, log }) {
    for (const target of targets) {
      for (const concurrency of appendConcurrencies) {
        log(`append: ${target.engine} at concurrency ${concurrency}`);
        // A fresh database per level, so each starts from the same table size; the pool has one
        // connection per worker, so workers never queue for a connection.
        const { ops, opsPerSec, p50Ms, p99Ms, cpuUsPerOp } = await withStrataDatabase(
          target,
          { maxConnections: concurrency },
          (database) => measureStrataAppends(database, concurrency, config),
        );
        report.add({ bench: 'append', engine: target.engine, concurrency, ops, opsPerSec, p50Ms, p99Ms, cpuUsPerOp });
      }
    }
  },
};
