/**
 * Rebuild catch-up: `rebuildProjection` replaying 100,000 events into fresh tables of an async
 * projection (event_stats, which handles every domain type). Beside it, the same pages read with
 * `readAll` alone, so a slow rebuild shows whether reading or applying is the cost.
 */
import {
  appendToStreams,
  type Database,
  eventStatsProjection,
  eventStatsTable,
  readAll,
  rebuildProjection,
  startOfLog,
  sum,
} from '@strata/db';
import { domainEvents } from '@strata/domain';
import { rawRows, withStrataDatabase } from '../databases.ts';
import { shopEvents } from '../events.ts';
import type { Scenario } from '../scenario.ts';

const totalEvents = 100_000;
/** Seeding appends 3 × this many events at once: to a wallet, an item and an order stream. */
const seedStreamLength = 500;
/** What rebuildProjection pages with by default; the readAll pass uses the same. */
const pageSize = 2_000;
const targetEventsPerSec = 50_000;

async function seed(database: Database): Promise<void> {
  const kinds = ['wallet', 'item', 'order'] as const;
  for (let written = 0, call = 0; written < totalEvents; call++) {
    const streams = [];
    for (const kind of kinds) {
      const count = Math.min(seedStreamLength, totalEvents - written);
      if (count === 0) break;
      streams.push({
        streamId: `${kind}-seed-${call}`,
        streamType: kind,
        expectedVersion: 'none' as const,
        events: shopEvents(kind, written, count),
      });
      written += count;
    }
    await appendToStreams(database.db, { streams });
  }
}

/** Pages through the whole log as the rebuild does, decoding every row, applying nothing. */
async function readAllPass(database: Database): Promise<{ events: number; ms: number }> {
  const started = performance.now();
  let after = startOfLog;
  let events = 0;
  for (;;) {
    const page = await readAll(database.db, { after, limit: pageSize });
    events += page.events.length;
    after = page.checkpoint;
    if (page.events.length < pageSize) break;
  }
  return { events, ms: performance.now() - started };
}

async function countedEvents(database: Database): Promise<number> {
  const stats = eventStatsTable();
  const [row] = await database.db.select({ n: sum(stats.count) }).from(stats);
  return Number(row?.n ?? 0);
}

export const rebuildScenario: Scenario = {
  name: 'rebuild',
  description: `rebuildProjection of event_stats over ${totalEvents.toLocaleString('en-US')} shop events`,
  async run({ targets, report, log }) {
    for (const target of targets) {
      await withStrataDatabase(target, {}, async (database) => {
        log(`rebuild: ${target.engine}, writing ${totalEvents.toLocaleString('en-US')} events`);
        await seed(database);
        // Vacuum analyze: the planner then knows the table's size, as on any database that has
        // been running a while, and visibility-map checks do not flatter or hurt the first read.
        if (target.engine === 'postgres') await rawRows(database.db, 'vacuum analyze events');
        log(`rebuild: ${target.engine}, readAll alone`);
        const read = await readAllPass(database);
        if (read.events !== totalEvents) throw new Error(`readAll returned ${read.events} of ${totalEvents} events`);
        log(`rebuild: ${target.engine}, rebuildProjection(event_stats)`);
        const started = performance.now();
        const progress = await rebuildProjection(database, eventStatsProjection(domainEvents.types));
        const ms = performance.now() - started;
        // A rebuild that skipped (or doubled) events would time the wrong thing.
        const counted = await countedEvents(database);
        if (progress.eventsDone !== totalEvents || counted !== totalEvents) {
          throw new Error(`rebuild replayed ${progress.eventsDone} and counted ${counted} of ${totalEvents} events`);
        }
        const opsPerSec = (totalEvents * 1000) / ms;
        report.add({
          bench: 'rebuild',
          engine: target.engine,
          events: totalEvents,
          opsPerSec,
          ms,
          readAllMs: read.ms,
          ...(target.engine === 'postgres'
            ? { target: targetEventsPerSec, meetsTarget: opsPerSec >= targetEventsPerSec }
            : {}),
        });
      });
    }
  },
};
