/**
 * What the wake-up costs: the same one-event appends announced (on PostgreSQL a NOTIFY inside
 * each batch's statement, sent with its commit; on PGlite an in-process call) and not. On
 * PostgreSQL the pool has one connection more than there are writers; PGlite has one connection
 * whatever the pool says.
 *
 * "Without" hands appendToStream a view of the database that passes for a transaction, which
 * is what makes appendToStreams leave the announcement to its caller. A listener checks that the
 * trick still works, so a change in packages/db cannot silently turn both rows into "with".
 */
import { appendToStream, type Database, eventsChannel, PgTransaction, type StrataDb } from '@strata/db';
import { warmupMs } from '../config.ts';
import { type Target, withStrataDatabase } from '../databases.ts';
import { benchEvent, benchStreamType, streamIdFactory } from '../events.ts';
import { runLoad } from '../measure.ts';
import type { Scenario } from '../scenario.ts';

// One writer is where announcing costs most: with more, one NOTIFY covers a batch of appends (at
// c=8, one per batch of about eight).
const cases: { engine: Target['engine']; concurrency: number }[] = [
  { engine: 'postgres', concurrency: 1 },
  { engine: 'pglite', concurrency: 1 },
];

/** The same Drizzle database, seen as a transaction: appends through it announce nothing. */
function silent(db: StrataDb): StrataDb {
  return new Proxy(db, {
    getPrototypeOf: () => PgTransaction.prototype,
    get: (object, property) => Reflect.get(object, property, object),
  });
}

async function measure(database: Database, concurrency: number, announce: boolean, seconds: number, warmup: number) {
  let notifications = 0;
  const unlisten = await database.listen(eventsChannel, () => {
    notifications++;
  });
  try {
    const db = announce ? database.db : silent(database.db);
    const streamId = streamIdFactory();
    const result = await runLoad({
      concurrency,
      durationMs: seconds * 1000,
      warmupMs: warmup,
      onMeasureStart: () => {
        notifications = 0;
      },
      op: async (worker, seq) => {
        await appendToStream(
          db,
          { streamId: streamId(worker, seq), streamType: benchStreamType, expectedVersion: 'none' },
          [benchEvent(seq)],
        );
      },
    });
    // Let the last NOTIFY arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (announce ? notifications === 0 : notifications > 0) {
      throw new Error(`appends ${announce ? 'with' : 'without'} announce delivered ${notifications} notifications`);
    }
    return { ...result, notificationsPerAppend: notifications / Math.max(1, result.ops) };
  } finally {
    await unlisten();
  }
}

export const announceScenario: Scenario = {
  name: 'announce',
  description: 'one-event appends with and without the NOTIFY that announces them',
  async run({ config, targets, report, log }) {
    for (const { engine, concurrency } of cases) {
      const target = targets.find((t) => t.engine === engine);
      if (!target) continue;
      let withAnnounce = 0;
      for (const announce of [true, false]) {
        log(`announce: ${engine}, concurrency ${concurrency}, ${announce ? 'with' : 'without'} announce`);
        // Half the usual time: the two rows differ by a third or more, which shows in less.
        const result = await withStrataDatabase(target, { maxConnections: concurrency + 1 }, (database) =>
          measure(database, concurrency, announce, config.seconds / 2, warmupMs(config)),
        );
        if (announce) withAnnounce = result.opsPerSec;
        report.add({
          bench: 'announce',
          engine,
          concurrency,
          announce,
          opsPerSec: result.opsPerSec,
          p50Ms: result.p50Ms,
          p99Ms: result.p99Ms,
          cpuUsPerOp: result.cpuUsPerOp,
          notificationsPerAppend: result.notificationsPerAppend,
          ...(announce ? {} : { speedupWithout: result.opsPerSec / withAnnounce }),
        });
      }
    }
  },
};
