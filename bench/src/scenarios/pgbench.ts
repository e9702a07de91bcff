/**
 * The ceiling: pgbench at the same concurrency, with two one-transaction scripts —
 * `insert`: one row into a copy of the events table (the target: Strata ≥ 80% of this);
 * `strata_append`: the call Strata makes for an append that goes alone (one request per
 * statement, so without group commit): the gap to `insert` is what the append function costs.
 * Beside them, the ceiling for a Node client (group-insert-ceiling.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { rawRows, withStrataDatabase } from '../databases.ts';
import { benchData, benchEventType, benchMetadata, benchStreamType } from '../events.ts';
import type { PgbenchScript } from '../report.ts';
import type { Scenario } from '../scenario.ts';
import { measureStrataAppends } from './append.ts';
import { measureGroupInsertCeiling } from './group-insert-ceiling.ts';

const run = promisify(execFile);
const concurrency = 8;
const target = 0.8;

/** The pgbench version line, or undefined when pgbench is not installed. */
async function pgbenchVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await run('pgbench', ['--version']);
    return stdout.trim();
  } catch {
    return undefined;
  }
}

const sqlText = (value: unknown) => `'${JSON.stringify(value).replaceAll("'", "''")}'`;

const scripts: Record<PgbenchScript, string> = {
  insert: `insert into pgbench_events (stream_id, stream_type, version, type, schema_version, data, metadata)
values (gen_random_uuid()::text, '${benchStreamType}', 1, '${benchEventType}', 1, ${sqlText(benchData(1))}::jsonb, ${sqlText(benchMetadata)}::jsonb);
`,
  // What appendToStream sends for one event alone; pgbench gives each call a fresh stream id.
  strata_append: `\\set id random(1, 9000000000000000)
select * from strata_append_events(array['pgbench-' || :client_id || '-' || :id], array['${benchStreamType}'], array[0], array[1], array[1], array[null]::uuid[], array['${benchEventType}'], array[1], ${sqlText([benchData(1)])}::jsonb, ${sqlText([benchMetadata])}::jsonb, array[null]::text[], true);
`,
};

async function runPgbench(url: string, script: string, seconds: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-pgbench-'));
  try {
    const scriptPath = join(dir, 'script.sql');
    await writeFile(scriptPath, script);
    // -n: no vacuum of pgbench's own tables (there are none); -M prepared: its fastest protocol,
    // so the comparison is against the best pgbench can do. The timeout guarantees no stray process.
    const { stdout } = await run(
      'pgbench',
      ['-n', '-M', 'prepared', '-c', String(concurrency), '-j', '2', '-T', String(seconds), '-f', scriptPath, url],
      { timeout: (seconds + 60) * 1000, killSignal: 'SIGKILL' },
    );
    const tps = /tps = ([\d.]+)/.exec(stdout)?.[1];
    if (!tps) throw new Error(`could not find tps in pgbench output:\n${stdout}`);
    return Number(tps);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const pgbenchScenario: Scenario = {
  name: 'pgbench',
  description: `pgbench (an INSERT; one strata_append_events call) and the Node group-commit ceiling at concurrency ${concurrency} beside Strata`,
  async run({ config, serverUrl, report, log }) {
    if (!serverUrl) return log('pgbench: skipped, no PostgreSQL server');
    const version = await pgbenchVersion();
    if (!version) return log('pgbench: skipped, pgbench is not installed (apt-get install postgresql-client)');
    // pgbench's -T takes whole seconds.
    const seconds = Math.max(1, Math.round(config.seconds));
    await withStrataDatabase(
      { engine: 'postgres', serverUrl },
      { maxConnections: concurrency },
      async (database, url) => {
        if (!url) throw new Error('a PostgreSQL bench database has a URL');
        log(`pgbench: strata at concurrency ${concurrency}`);
        const strata = await measureStrataAppends(database, concurrency, { ...config, seconds });
        // LIKE … INCLUDING ALL copies columns, defaults, identity and every index, so the table
        // keeps the events table's shape whatever later migrations do to it.
        await rawRows(database.db, 'create table pgbench_events (like events including all)');
        log(`pgbench: bare INSERTs group-committed from Node at concurrency ${concurrency} (the ceiling)`);
        const ceiling = await measureGroupInsertCeiling(url, concurrency, { ...config, seconds });
        report.add({
          bench: 'ceiling',
          engine: 'postgres',
          concurrency,
          opsPerSec: ceiling.opsPerSec,
          p50Ms: ceiling.p50Ms,
          p99Ms: ceiling.p99Ms,
          cpuUsPerOp: ceiling.cpuUsPerOp,
          strataOpsPerSec: strata.opsPerSec,
          ratio: strata.opsPerSec / ceiling.opsPerSec,
        });
        for (const script of ['insert', 'strata_append'] as const) {
          log(`pgbench: ${version}, script ${script}, concurrency ${concurrency}`);
          const tps = await runPgbench(url, scripts[script], seconds);
          const ratio = strata.opsPerSec / tps;
          report.add({
            bench: 'pgbench',
            engine: 'postgres',
            script,
            concurrency,
            tps,
            strataOpsPerSec: strata.opsPerSec,
            ratio,
            ...(script === 'insert' ? { target, meetsTarget: ratio >= target } : {}),
          });
        }
      },
    );
  },
};
