/**
 * The user's path (issue 12): the api as `npm start` runs it, a child process with its projection
 * worker inside, driven over HTTP by autocannon at concurrency 1, 8 and 32 — `articles.draft` (a
 * new article and its slug claim), `wallets.topUp` on 64 wallets, `orders.place` in a small shop
 * (50 wallets, 20 items, 1–3 lines: orders collide) — beside a bare tRPC v11 server doing one
 * INSERT per mutation on the same PostgreSQL (the floor).
 *
 * Two phases, each with its own floor, measured at each concurrency just before each
 * procedure's apis, so every ratio compares figures taken seconds apart (on a shared 2-core VM the same server reads
 * up to twice as fast from one minute to the next):
 *   1. PostgreSQL: the api with its worker (`npm start` with DATABASE_URL; the floor shares its
 *      throwaway database) and, in a second throwaway database, the api with `--no-worker` and no
 *      `worker` process at all — its async read models wait, which does not change what a
 *      mutation costs. Both run at once and take turns, procedure by procedure.
 *   2. PGlite in a temporary data folder (`npm start`'s default; its worker always runs in it).
 * Setup goes through the SDK as the demo admin; the load is raw tRPC requests, each with its own
 * slug, wallet or order. Every run of an api with a worker starts with the worker idle; how far
 * its async projections had fallen behind when the run ended, and how long they took to catch
 * up, go with the figures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@strata/client';
import { shopLimits } from '@strata/domain';
import { warmupMs } from '../config.ts';
import { withThrowawayDatabase } from '../databases.ts';
import type { EngineName, HttpServerName } from '../report.ts';
import type { BenchContext, Scenario } from '../scenario.ts';
import { driveHttp, type HttpLoad, type HttpLoadResult } from './http-load.ts';
import { type ServerProcess, startApi, startBareTrpc } from './http-servers.ts';
import { random } from './order.ts';

const allConcurrencies = [1, 8, 32] as const;
const allProcedures = ['articles.draft', 'wallets.topUp', 'orders.place'] as const;
type Procedure = (typeof allProcedures)[number];

/**
 * A part of the run, for looking closer at one figure (profiling, say): comma-separated lists in
 * BENCH_HTTP_PROCEDURES, BENCH_HTTP_CONCURRENCY and BENCH_HTTP_ENGINES. Unset: everything.
 */
function selected<T extends string | number>(all: readonly T[], variable: string): readonly T[] {
  const wanted = process.env[variable]?.split(',').map((v) => v.trim());
  if (!wanted) return all;
  const chosen = all.filter((value) => wanted.includes(String(value)));
  if (chosen.length === 0) throw new Error(`${variable} names none of ${all.join(', ')}`);
  return chosen;
}
const concurrencies = selected(allConcurrencies, 'BENCH_HTTP_CONCURRENCY');
const procedures = selected(allProcedures, 'BENCH_HTTP_PROCEDURES');
const topUpWalletCount = 64;
const shopWalletCount = 50;
const shopItemCount = 20;
const demoAdmin = { email: 'alice@example.com', password: 'alice-demo-password' };
/** How long the worker may take to apply what a run left behind before the bench moves on anyway. */
const catchUpTimeoutMs = 60_000;
/** The same text in every article and every floor row (~300 bytes), so both write alike. */
const articleBody =
  'Strata keeps every change as an immutable event. Screens read projections built from them, so you can always answer who changed what, when, and what it looked like then. This article was drafted by the http benchmark, one of thousands like it.';

interface Phase {
  engine: EngineName;
  /** One api per entry: with its worker in the process, or `--no-worker`. */
  workers: boolean[];
}

const phases: Phase[] = (
  [
    { engine: 'postgres', workers: [true, false] },
    { engine: 'pglite', workers: [true] },
  ] satisfies Phase[]
).filter((phase) => selected(['postgres', 'pglite'], 'BENCH_HTTP_ENGINES').includes(phase.engine));

type Client = ReturnType<typeof createClient>;

/** A started api, signed in, with its inputs ready. */
interface Api {
  server: ServerProcess;
  name: HttpServerName;
  worker: boolean;
  token: string;
  inputs: Inputs;
  workerLag: WorkerLag | undefined;
}

export const httpScenario: Scenario = {
  name: 'http',
  description: `the api as npm start runs it, over HTTP (autocannon) at c=${concurrencies.join('/')}, beside a bare tRPC server (one INSERT per mutation)`,
  async run(context) {
    const dir = await mkdtemp(join(tmpdir(), 'strata-bench-http-'));
    try {
      for (const phase of phases) {
        if (phase.engine === 'postgres' && !context.serverUrl) {
          context.log('http: PostgreSQL skipped, no server; PGlite has no floor to compare with');
          continue;
        }
        await measurePhase(context, phase, dir);
      }
    } finally {
      // BENCH_KEEP_LOGS=1 keeps the servers' logs (and PGlite's folders) for a closer look.
      if (process.env.BENCH_KEEP_LOGS) context.log(`http: logs kept in ${dir}`);
      else await rm(dir, { recursive: true, force: true });
    }
  },
};

/** Runs `fn` with `count` throwaway databases (none without a server), dropped afterwards. */
function withDatabases<T>(
  serverUrl: string | undefined,
  count: number,
  fn: (urls: string[]) => Promise<T>,
): Promise<T> {
  if (!serverUrl || count === 0) return fn([]);
  return withThrowawayDatabase(serverUrl, 'strata_bench_http', (url) =>
    withDatabases(serverUrl, count - 1, (urls) => fn([url, ...urls])),
  );
}

/** The floor and the phase's apis, all started; every procedure at every concurrency. */
async function measurePhase(context: BenchContext, phase: Phase, dir: string): Promise<void> {
  const { engine } = phase;
  // The floor shares the first api's database on PostgreSQL; beside PGlite it has one of its own.
  const databases = engine === 'postgres' ? phase.workers.length : 1;
  await withDatabases(context.serverUrl, databases, async (urls) => {
    const servers: ServerProcess[] = [];
    try {
      const floorUrl = urls[0];
      const floor = floorUrl ? await startBareTrpc(floorUrl, join(dir, `floor-${engine}.log`)) : undefined;
      if (floor) servers.push(floor);
      const apis: Api[] = [];
      for (const [i, worker] of phase.workers.entries()) {
        const name: HttpServerName = worker ? 'api' : 'api --no-worker';
        context.log(`http: starting the ${name} on ${engine}`);
        const label = `${engine}${worker ? '' : '-no-worker'}`;
        const server = await startApi({
          databaseUrl: engine === 'postgres' ? urls[i] : undefined,
          dataDir: join(dir, `pglite-${label}`),
          worker,
          logFile: join(dir, `api-${label}.log`),
        });
        servers.push(server);
        const client = await signIn(server.url);
        const inputs = await prepareInputs(client);
        apis.push({
          server,
          name,
          worker,
          token: client.token,
          inputs,
          workerLag: worker ? workerLagOf(client) : undefined,
        });
      }
      if (apis.some((api) => !api.worker)) {
        context.log('http: --no-worker with no separate `worker` process: its async read models wait for the run');
      }
      for (const concurrency of concurrencies) {
        for (const procedure of procedures) {
          // The floor again right before each procedure's apis: this VM's speed drifts by up to 2x
          // within a minute, and a floor measured once per concurrency made the later ratios luck.
          const floorFigures = floor ? await measureFloor(context, floor, concurrency, phase, procedure) : undefined;
          let withWorker: Measured | undefined;
          for (const api of apis) {
            const load = {
              url: api.server.url,
              procedure,
              token: api.token,
              concurrency,
              input: api.inputs[procedure](),
            };
            const result = await measure(context, api.server, load, api.workerLag);
            if (api.worker) withWorker = result;
            const row = {
              bench: 'http' as const,
              engine,
              server: api.name,
              procedure,
              concurrency,
              ...figuresOf(result),
              ...(floorFigures
                ? {
                    floorOpsPerSec: floorFigures.opsPerSec,
                    floorP50Ms: floorFigures.p50Ms,
                    floorRatio: result.opsPerSec / floorFigures.opsPerSec,
                    floorP50Ratio: result.p50Ms / floorFigures.p50Ms,
                  }
                : {}),
              ...(result.workerBacklog === undefined
                ? {}
                : { workerBacklog: result.workerBacklog, catchUpMs: result.catchUpMs }),
              ...(!api.worker && withWorker ? { workerRatio: withWorker.opsPerSec / result.opsPerSec } : {}),
            };
            context.report.add({ ...row, ...target(row) });
          }
        }
      }
    } finally {
      // Children first: the throwaway databases are dropped once they are gone.
      await Promise.all(servers.map((server) => server.stop()));
    }
  });
}

async function measureFloor(
  context: BenchContext,
  floor: ServerProcess,
  concurrency: number,
  phase: Phase,
  /** The procedure whose ratios this floor run is for. */
  before: Procedure,
): Promise<Measured> {
  const title = counter('Bench floor row');
  const input = () => ({ title: title(), body: articleBody });
  const result = await measure(context, floor, { url: floor.url, procedure: 'insert', concurrency, input });
  context.report.add({
    bench: 'http',
    engine: 'postgres',
    server: 'bare trpc',
    beside: phase.engine === 'postgres' ? 'the postgres apis' : 'the pglite api',
    before,
    procedure: 'insert',
    concurrency,
    ...figuresOf(result),
  });
  return result;
}

const figuresOf = (r: Measured) => ({
  requests: r.requests,
  opsPerSec: r.opsPerSec,
  p50Ms: r.p50Ms,
  p99Ms: r.p99Ms,
  failed: r.failed,
  ...(r.cpuUsPerOp === undefined ? {} : { cpuUsPerOp: r.cpuUsPerOp }),
});

type Measured = HttpLoadResult & {
  cpuUsPerOp: number | undefined;
  /** With a worker: events its async projections had not applied when the run ended. */
  workerBacklog?: number;
  /** With a worker: from the end of the run until it had applied everything. */
  catchUpMs?: number;
};

/** What the bench asks an api with a worker in it: how far its async projections are behind. */
type WorkerLag = () => Promise<number>;

/**
 * A short warm-up (new connections, JIT), then the timed run; the server's own CPU per request
 * (the process, not PostgreSQL) from /proc. With a worker, each run starts with it idle, and the
 * backlog it left is read the moment it ends.
 */
async function measure(
  context: BenchContext,
  server: ServerProcess,
  load: HttpLoad,
  workerLag?: WorkerLag,
): Promise<Measured> {
  const { config, log } = context;
  await settle(await driveHttp(load, warmupMs(config) / 1000));
  if (workerLag) await waitForWorker(workerLag, context);
  const cpuBefore = server.cpuMicros();
  const result = await driveHttp(load, config.seconds);
  const cpuAfter = server.cpuMicros();
  const ended = performance.now();
  let worker: { workerBacklog?: number; catchUpMs?: number } = {};
  if (workerLag) {
    const workerBacklog = await workerLag();
    await waitForWorker(workerLag, context);
    worker = { workerBacklog, catchUpMs: performance.now() - ended };
  }
  await settle(result);
  const cpuUsPerOp =
    cpuBefore === undefined || cpuAfter === undefined
      ? undefined
      : (cpuAfter - cpuBefore) / Math.max(1, result.requests);
  const failures = Object.entries(result.failures)
    .map(([code, n]) => `${n}×${code}`)
    .join(', ');
  log(
    `http: ${server.name} ${load.procedure} c=${load.concurrency}: ${result.opsPerSec.toFixed(1)}/s, p50 ${result.p50Ms.toFixed(2)} ms${failures ? `, failed ${failures}` : ''}`,
  );
  return { ...result, cpuUsPerOp, ...worker };
}

/**
 * autocannon stops with a request in flight on every connection, and the server goes on with
 * them: let them finish (they take about as long as the slowest answers did) before anything
 * else is measured.
 */
function settle(result: HttpLoadResult): Promise<void> {
  const ms = Number.isFinite(result.p99Ms) ? Math.min(5000, 100 + 1.5 * result.p99Ms) : 5000;
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The issue's targets, on the rows they name. */
function target(row: {
  engine: EngineName;
  server: HttpServerName;
  procedure: Procedure;
  concurrency: number;
  failed: number;
  floorRatio?: number;
  floorP50Ratio?: number;
  workerRatio?: number;
}): { target?: string; meetsTarget?: boolean } {
  const { engine, server, procedure, concurrency } = row;
  const plain = procedure === 'articles.draft' || procedure === 'wallets.topUp';
  const atLeast = (value: number | undefined, min: number) => value !== undefined && value >= min;
  if (server === 'api --no-worker') {
    if (concurrency !== 8) return {};
    return { target: 'with worker ≥0.85×', meetsTarget: atLeast(row.workerRatio, 0.85) };
  }
  if (engine === 'postgres' && plain && concurrency === 8) {
    return { target: '≥0.7× floor', meetsTarget: atLeast(row.floorRatio, 0.7) };
  }
  if (engine === 'postgres' && plain && concurrency === 1) {
    return { target: 'p50 ≤2× floor', meetsTarget: row.floorP50Ratio !== undefined && row.floorP50Ratio <= 2 };
  }
  if (engine === 'pglite' && plain && concurrency === 8) {
    return { target: '≥0.5× floor', meetsTarget: atLeast(row.floorRatio, 0.5) };
  }
  if (engine === 'postgres' && procedure === 'orders.place' && concurrency === 8) {
    return { target: '≥0.4× floor, 0 failed', meetsTarget: atLeast(row.floorRatio, 0.4) && row.failed === 0 };
  }
  return {};
}

/** Signs in as the demo admin through the SDK; the token then goes in every request. */
async function signIn(url: string): Promise<{ sdk: Client; token: string }> {
  const { token } = await createClient({ url }).auth.login.mutate(demoAdmin);
  return { sdk: createClient({ url, token }), token };
}

/** Per procedure, a maker of input makers: each load gets its own sequence, the same on every engine. */
type Inputs = Record<Procedure, () => () => unknown>;

/** Opens the wallets and adds the items the loads use, eight calls at a time. */
async function prepareInputs({ sdk }: { sdk: Client }): Promise<Inputs> {
  const openWallet = (ownerId: string) => sdk.wallets.open.mutate({ ownerId }).then((w) => w.walletId);
  const topUpWallets = await inParallel(topUpWalletCount, (i) => openWallet(`bench-top-up-${i}`));
  const shopWallets = await inParallel(shopWalletCount, async (i) => {
    const walletId = await openWallet(`bench-shopper-${i}`);
    await sdk.wallets.topUp.mutate({ walletId, amount: shopLimits.maxTopUp });
    return walletId;
  });
  const skus = await inParallel(shopItemCount, async (i) => {
    const sku = `BENCH-${i}`;
    await sdk.inventory.addItem.mutate({
      sku,
      name: `Bench item ${i}`,
      price: 100 + 37 * i,
      quantity: shopLimits.maxStock,
    });
    return sku;
  });
  // Slugs stay unique across loads, runs and engines: the run's letters, then a count.
  const runTag = Math.random()
    .toString(36)
    .slice(2, 8)
    .replace(/[^a-z0-9]/g, 'x');
  let articles = 0;
  return {
    'articles.draft': () => () => {
      const n = articles++;
      return { title: `Bench article ${runTag} ${n}`, body: articleBody, slug: `bench-${runTag}-${n}` };
    },
    'wallets.topUp': () => {
      const next = random(7);
      return () => ({ walletId: topUpWallets[Math.floor(next() * topUpWallets.length)], amount: 100 });
    },
    'orders.place': () => {
      const next = random(42);
      const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
      return () => ({
        walletId: pick(shopWallets),
        lines: Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
          sku: pick(skus),
          quantity: 1 + Math.floor(next() * 3),
        })),
      });
    },
  };
}

function counter(prefix: string): () => string {
  let n = 0;
  return () => `${prefix} ${n++}`;
}

async function inParallel<T>(count: number, fn: (i: number) => Promise<T>, width = 8): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += width) {
    const slice = Array.from({ length: Math.min(width, count - start) }, (_, i) => fn(start + i));
    results.push(...(await Promise.all(slice)));
  }
  return results;
}

/** The largest lag of any async projection, in events. */
function workerLagOf({ sdk }: { sdk: Client }): WorkerLag {
  return async () =>
    Math.max(0, ...(await sdk.projections.status.query()).filter((p) => p.mode === 'async').map((p) => p.lag));
}

/** Until the worker has applied every event (or a minute has gone by: then the bench goes on). */
async function waitForWorker(lag: WorkerLag, context: BenchContext): Promise<void> {
  const started = performance.now();
  for (let left = await lag(); left > 0; left = await lag()) {
    if (performance.now() - started > catchUpTimeoutMs) {
      return context.log(
        `http: the worker still had ${left} events to apply after ${catchUpTimeoutMs / 1000} s; going on`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
