/**
 * `npm run bench [-- name…]`: runs the named scenarios (all by default) on PostgreSQL, when a
 * server answers, and on in-memory PGlite; prints one JSON line per result, then a table.
 */
import { availableParallelism, loadavg } from 'node:os';
import { masterKeyEnv, newMasterKey } from '@strata/db';
import { readConfig } from './config.ts';
import { dropLeftoversOnSignal, probeServer, type Target } from './databases.ts';
import { Report } from './report.ts';
import type { BenchContext, Scenario } from './scenario.ts';
import { announceScenario } from './scenarios/announce.ts';
import { appendScenario } from './scenarios/append.ts';
import { batchScenario } from './scenarios/batch.ts';
import { emmettScenario } from './scenarios/emmett.ts';
import { foldScenario } from './scenarios/fold.ts';
import { httpScenario } from './scenarios/http.ts';
import { lagScenario } from './scenarios/lag.ts';
import { orderScenario } from './scenarios/order.ts';
import { pgbenchScenario } from './scenarios/pgbench.ts';
import { rebuildScenario } from './scenarios/rebuild.ts';

// Every database the bench makes is thrown away: any master key will do (the apis it starts inherit it).
process.env[masterKeyEnv] ??= newMasterKey();

const scenarios: Scenario[] = [
  appendScenario,
  batchScenario,
  foldScenario,
  pgbenchScenario,
  emmettScenario,
  announceScenario,
  rebuildScenario,
  lagScenario,
  orderScenario,
  httpScenario,
];

const runStarted = performance.now();
/** Progress on stderr, stamped with the seconds since the run began. */
const log = (message: string) =>
  console.error(`[bench ${((performance.now() - runStarted) / 1000).toFixed(1).padStart(5)}s] ${message}`);

function usage(): string {
  return [
    'usage: npm run bench [-- <scenario>...]',
    '',
    'scenarios (all run when none is named):',
    ...scenarios.map((s) => `  ${s.name.padEnd(8)} ${s.description}`),
    '',
    'env: BENCH_SECONDS (default 5) per measurement; DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)',
  ].join('\n');
}

function select(args: string[]): Scenario[] {
  if (args.length === 0) return scenarios;
  const unknown = args.filter((name) => !scenarios.some((s) => s.name === name));
  if (unknown.length > 0) throw new UsageError(`unknown scenario: ${unknown.join(', ')}`);
  return scenarios.filter((s) => args.includes(s.name));
}

class UsageError extends Error {}

/** Client and server share this machine's cores: other work on it lowers and scatters every figure. */
function warnIfBusy(): void {
  const [oneMinute = 0] = loadavg();
  const cores = availableParallelism();
  const note = oneMinute > 1 ? ' — other processes compete for the cores: figures will be low and noisy' : '';
  log(`load average before the run: ${oneMinute.toFixed(2)} on ${cores} cores${note}`);
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage());
    return 0;
  }
  const selected = select(args);
  const config = readConfig();
  const problem = await probeServer(config.serverUrl);
  if (problem && config.serverExplicit) {
    log(`DATABASE_URL does not answer (${problem}); unset it to bench PGlite only`);
    return 1;
  }
  if (problem) log(`no PostgreSQL at ${config.serverUrl} (${problem}): PostgreSQL benchmarks skipped`);
  const serverUrl = problem ? undefined : config.serverUrl;
  const targets: Target[] = serverUrl
    ? [{ engine: 'postgres', serverUrl }, { engine: 'pglite' }]
    : [{ engine: 'pglite' }];
  const context: BenchContext = { config, targets, serverUrl, report: new Report(), log };

  dropLeftoversOnSignal();
  warnIfBusy();
  const started = performance.now();
  let failed = 0;
  for (const scenario of selected) {
    // One failing scenario should not throw away the others' results.
    const scenarioStarted = performance.now();
    try {
      await scenario.run(context);
      log(`${scenario.name}: ${((performance.now() - scenarioStarted) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed++;
      log(`${scenario.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  console.log(`\n${context.report.table()}`);
  log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s, ${config.seconds} s per measurement`);
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${usage()}`);
    else console.error(error);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
