/** The reference: Emmett's PostgreSQL event store doing the same one-event appends. */
import { type Event, STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { warmupMs } from '../config.ts';
import { withStrataDatabase, withThrowawayDatabase } from '../databases.ts';
import { benchData, benchEventType, benchMetadata, streamIdFactory } from '../events.ts';
import { type LoadResult, runLoad } from '../measure.ts';
import type { BenchContext, Scenario } from '../scenario.ts';
import { measureStrataAppends } from './append.ts';

const concurrency = 8;
const target = 2;

type BenchEvent = Event<typeof benchEventType, ReturnType<typeof benchData>, typeof benchMetadata>;

async function measureEmmett(serverUrl: string, config: BenchContext['config']): Promise<LoadResult> {
  return withThrowawayDatabase(serverUrl, 'emmett_bench', async (url) => {
    // Emmett's default pg pool holds 10 connections: enough for 8 workers without queueing.
    const store = getPostgreSQLEventStore(url);
    try {
      // Emmett migrates lazily on first use; doing it now keeps schema creation out of the timing.
      await store.schema.migrate();
      const streamId = streamIdFactory();
      return await runLoad({
        concurrency,
        durationMs: config.seconds * 1000,
        warmupMs: warmupMs(config),
        op: async (worker, seq) => {
          await store.appendToStream<BenchEvent>(
            streamId(worker, seq),
            [{ type: benchEventType, data: benchData(seq), metadata: benchMetadata }],
            { expectedStreamVersion: STREAM_DOES_NOT_EXIST },
          );
        },
      });
    } finally {
      await store.close();
    }
  });
}

export const emmettScenario: Scenario = {
  name: 'emmett',
  description: `Emmett 0.42 one-event appends at concurrency ${concurrency} beside Strata's`,
  async run({ config, serverUrl, report, log }) {
    if (!serverUrl) return log('emmett: skipped, no PostgreSQL server');
    // Measured back to back rather than reused from `append`, so both see the same machine load.
    log(`emmett: strata at concurrency ${concurrency}`);
    const strata = await withStrataDatabase(
      { engine: 'postgres', serverUrl },
      { maxConnections: concurrency },
      (database) => measureStrataAppends(database, concurrency, config),
    );
    log(`emmett: emmett at concurrency ${concurrency}`);
    const emmett = await measureEmmett(serverUrl, config);
    const ratio = strata.opsPerSec / emmett.opsPerSec;
    report.add({
      bench: 'emmett',
      engine: 'postgres',
      concurrency,
      opsPerSec: emmett.opsPerSec,
      p50Ms: emmett.p50Ms,
      p99Ms: emmett.p99Ms,
      cpuUsPerOp: emmett.cpuUsPerOp,
      strataOpsPerSec: strata.opsPerSec,
      strataCpuUsPerOp: strata.cpuUsPerOp,
      ratio,
      target,
      meetsTarget: ratio >= target,
    });
  },
};
