/** 100-event appends: how far batching lifts event throughput above one-event appends. */
import { appendToStream } from '@strata/db';
import { warmupMs } from '../config.ts';
import { withStrataDatabase } from '../databases.ts';
import { benchEvent, benchStreamType, streamIdFactory } from '../events.ts';
import { runLoad } from '../measure.ts';
import type { Scenario } from '../scenario.ts';

const batchSize = 100;

export const batchScenario: Scenario = {
  name: 'batch',
  description: `${batchSize}-event appends to fresh streams, one writer`,
  async run({ config, targets, report, log }) {
    for (const target of targets) {
      log(`batch: ${target.engine}, ${batchSize} events per append`);
      const streamId = streamIdFactory();
      const events = Array.from({ length: batchSize }, (_, i) => benchEvent(i));
      const result = await withStrataDatabase(target, { maxConnections: 1 }, (database) =>
        runLoad({
          concurrency: 1,
          durationMs: config.seconds * 1000,
          warmupMs: warmupMs(config),
          op: async (worker, seq) => {
            await appendToStream(
              database.db,
              { streamId: streamId(worker, seq), streamType: benchStreamType, expectedVersion: 'none' },
              events,
            );
          },
        }),
      );
      report.add({
        bench: 'batch',
        engine: target.engine,
        batchSize,
        batches: result.ops,
        eventsPerSec: result.opsPerSec * batchSize,
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
        cpuUsPerOp: result.cpuUsPerOp,
      });
    }
  },
};
