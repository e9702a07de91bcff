/** Loading an aggregate: a full fold against a snapshot plus the last few events. */
import { aggregateStream, appendToStream, type Database, type StoredEvent, saveSnapshot } from '@strata/db';
import { withStrataDatabase } from '../databases.ts';
import { benchEvent, benchStreamType } from '../events.ts';
import { median, timeRuns } from '../measure.ts';
import type { Scenario } from '../scenario.ts';

const streamLengths = [1_000, 100_000] as const;
const writeBatch = 1_000;
/** The snapshot sits this many events behind the head, as it would between periodic snapshots. */
const eventsAfterSnapshot = 10;
const stateVersion = 1;

interface Totals {
  count: number;
  amount: number;
}
const initialState = (): Totals => ({ count: 0, amount: 0 });
const evolve = (state: Totals, event: StoredEvent): Totals => ({
  count: state.count + 1,
  amount: state.amount + (event.data as { amount: number }).amount,
});

async function writeStream(database: Database, streamId: string, length: number): Promise<void> {
  for (let written = 0; written < length; written += writeBatch) {
    const size = Math.min(writeBatch, length - written);
    await appendToStream(
      database.db,
      { streamId, streamType: benchStreamType, expectedVersion: written === 0 ? 'none' : written },
      Array.from({ length: size }, (_, i) => benchEvent(written + i)),
    );
  }
}

async function timeFold(database: Database, streamId: string, length: number, snapshot: boolean): Promise<number[]> {
  // Fewer runs for the long stream keep the whole scenario within seconds on PGlite.
  const runs = length <= 1_000 ? 7 : 3;
  return timeRuns(runs, async () => {
    const result = await aggregateStream(database.db, streamId, {
      initialState,
      evolve,
      snapshotStateVersion: snapshot ? stateVersion : undefined,
    });
    // A fold that silently skipped the snapshot (or events) would time the wrong thing.
    const expectedFrom = snapshot ? length - eventsAfterSnapshot : undefined;
    if (result.version !== length || result.state.count !== length || result.fromSnapshot !== expectedFrom) {
      throw new Error(`fold of ${streamId} gave version ${result.version} from snapshot ${result.fromSnapshot}`);
    }
  });
}

export const foldScenario: Scenario = {
  name: 'fold',
  description: 'aggregateStream over 1,000 and 100,000 events, with and without a snapshot',
  async run({ targets, report, log }) {
    for (const target of targets) {
      await withStrataDatabase(target, {}, async (database) => {
        for (const length of streamLengths) {
          const streamId = `fold-${length}`;
          log(`fold: ${target.engine}, writing ${length.toLocaleString('en-US')} events`);
          await writeStream(database, streamId, length);
          const snapshotVersion = length - eventsAfterSnapshot;
          const atSnapshot = await aggregateStream(database.db, streamId, {
            initialState,
            evolve,
            toVersion: snapshotVersion,
          });
          await saveSnapshot(database.db, {
            streamId,
            version: snapshotVersion,
            stateVersion,
            state: atSnapshot.state,
          });
          for (const snapshot of [false, true]) {
            log(`fold: ${target.engine}, ${length} events, ${snapshot ? 'with' : 'without'} snapshot`);
            const durations = await timeFold(database, streamId, length, snapshot);
            report.add({
              bench: 'fold',
              engine: target.engine,
              events: length,
              snapshot,
              ms: median(durations),
              runs: durations.length,
            });
          }
        }
      });
    }
  },
};
