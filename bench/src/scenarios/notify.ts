/**
 * What pg_notify costs: the same appends with the repo's strata_append and with a copy that does
 * not notify. The copy lives only in the throwaway database; the migration is untouched.
 */
import type { StrataDb } from '@strata/db';
import { rawRows, withStrataDatabase } from '../databases.ts';
import type { Scenario } from '../scenario.ts';
import { measureStrataAppends } from './append.ts';

const concurrencies = [8, 32] as const;
const notifyStatement = /^[ \t]*PERFORM pg_notify\([^;]*\);[ \t]*\n/m;

/** Recreates strata_append from its own definition, minus the notify, so the copy never drifts. */
async function dropNotify(db: StrataDb): Promise<void> {
  const [row] = await rawRows<{ def: string }>(
    db,
    "select pg_get_functiondef('strata_append(jsonb)'::regprocedure) as def",
  );
  if (!row) throw new Error('strata_append(jsonb) not found');
  if (!notifyStatement.test(row.def)) throw new Error('strata_append no longer has a PERFORM pg_notify(...) line');
  await rawRows(db, row.def.replace(notifyStatement, ''));
}

export const notifyScenario: Scenario = {
  name: 'notify',
  description: 'one-event appends with and without the pg_notify in strata_append',
  async run({ config, serverUrl, report, log }) {
    if (!serverUrl) return log('notify: skipped, no PostgreSQL server');
    for (const concurrency of concurrencies) {
      const opsPerSec: Record<'with' | 'without', number> = { with: 0, without: 0 };
      for (const pgNotify of [true, false]) {
        log(`notify: concurrency ${concurrency}, ${pgNotify ? 'with' : 'without'} pg_notify`);
        const result = await withStrataDatabase(
          { engine: 'postgres', serverUrl },
          { maxConnections: concurrency },
          async (database) => {
            if (!pgNotify) await dropNotify(database.db);
            return measureStrataAppends(database, concurrency, config);
          },
        );
        opsPerSec[pgNotify ? 'with' : 'without'] = result.opsPerSec;
        report.add({
          bench: 'notify',
          engine: 'postgres',
          concurrency,
          pgNotify,
          opsPerSec: result.opsPerSec,
          p50Ms: result.p50Ms,
          p99Ms: result.p99Ms,
          cpuUsPerOp: result.cpuUsPerOp,
          ...(pgNotify ? {} : { speedupWithout: opsPerSec.without / opsPerSec.with }),
        });
      }
    }
  },
};
