/**
 * Append-to-visible lag of an async projection: one-event appends at a fixed open-loop rate while
 * a projection worker (in this process, as the api runs it) keeps event_stats up to date. For
 * each append, the time from its promise resolving to the commit of the worker transaction that
 * applied it — the moment a read-your-writes query could first see it.
 */
import {
  appendToStream,
  createProjectionWorker,
  type Database,
  type EventProcessor,
  eventStatsProjection,
  projectionProcessor,
} from '@strata/db';
import { domainEvents } from '@strata/domain';
import { warmupMs } from '../config.ts';
import { type Target, withStrataDatabase } from '../databases.ts';
import { apiMetadata, streamIdFactory } from '../events.ts';
import { withTransactionHooks } from '../instrument.ts';
import { percentile } from '../measure.ts';
import type { Scenario } from '../scenario.ts';

interface LagCase {
  engine: Target['engine'];
  rate: number;
  /** Share of the usual duration. */
  length?: number;
  targetP99Ms?: number;
}

const cases: LagCase[] = [
  // A quiet system: the worker idles between events, so this is the wake-up path alone.
  { engine: 'postgres', rate: 50, length: 0.5 },
  { engine: 'postgres', rate: 500, targetP99Ms: 50 },
  { engine: 'postgres', rate: 2_000 },
  { engine: 'pglite', rate: 500, length: 0.5 },
];

/** After the last append, how long the worker may take to apply everything before we give up. */
const drainTimeoutMs = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface LagResult {
  events: number;
  achievedRate: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  unseen: number;
  appendP99Ms: number;
}

async function measureLag(
  database: Database,
  rate: number,
  durationMs: number,
  warmup: number,
  log: (message: string) => void,
): Promise<LagResult> {
  // When each position was applied by a committed worker transaction.
  const appliedAt = new Map<number, number>();
  let applying: number[] = [];
  const inner = projectionProcessor(eventStatsProjection(domainEvents.types));
  const processor: EventProcessor = {
    ...inner,
    async apply(tx, events) {
      await inner.apply(tx, events);
      for (const event of events) applying.push(event.position);
    },
  };
  // Only the worker goes through the hooked database, so every transaction seen is one of its batches.
  const observed = withTransactionHooks(database, {
    committed: () => {
      const now = performance.now();
      for (const position of applying) appliedAt.set(position, now);
      applying = [];
    },
    failed: () => {
      applying = [];
    },
  });
  const worker = createProjectionWorker({
    database: observed,
    processors: [processor],
    onError: (error) => log(`lag: worker error: ${error instanceof Error ? error.message : String(error)}`),
  });
  await worker.start();
  try {
    while (worker.held().length === 0) await sleep(5);

    const appendedAt = new Map<number, number>();
    const appendLatencies: number[] = [];
    const pending = new Set<Promise<void>>();
    const streamId = streamIdFactory();
    let failures = 0;
    const warmupCount = Math.round((rate * warmup) / 1000);
    const total = warmupCount + Math.round((rate * durationMs) / 1000);
    let measuredFrom = 0;
    let lastResolved = 0;

    const started = performance.now();
    const dueAt = (i: number) => started + (i * 1000) / rate;
    const issue = (i: number) => {
      // From when it was due, not when the timer fired: a late send is the writer's lag too.
      const due = dueAt(i);
      if (i === warmupCount) measuredFrom = due;
      const done = appendToStream(
        database.db,
        { streamId: streamId(0, i), streamType: 'wallet', expectedVersion: 'none' },
        [{ type: 'WalletToppedUp', data: { amount: 5_000, balance: 5_000 + i }, metadata: apiMetadata(i) }],
      ).then(
        (result) => {
          const now = performance.now();
          if (i < warmupCount) return;
          appendLatencies.push(now - due);
          appendedAt.set(result.position, now);
          lastResolved = Math.max(lastResolved, now);
        },
        () => {
          failures++;
        },
      );
      pending.add(done);
      void done.finally(() => pending.delete(done));
    };

    // Open loop: append i is sent when due, whether or not earlier ones have returned.
    let issued = 0;
    while (issued < total) {
      const dueNow = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
      while (issued < dueNow) issue(issued++);
      await sleep(Math.max(0, dueAt(issued) - performance.now()));
    }
    await Promise.all(pending);
    if (failures > 0) throw new Error(`${failures} appends failed`);

    const deadline = performance.now() + drainTimeoutMs;
    const allApplied = () => [...appendedAt.keys()].every((position) => appliedAt.has(position));
    while (!allApplied() && performance.now() < deadline) await sleep(10);

    const lags: number[] = [];
    let unseen = 0;
    for (const [position, appended] of appendedAt) {
      const applied = appliedAt.get(position);
      if (applied === undefined) {
        // Counted as endless, so percentiles cannot look better by leaving them out.
        unseen++;
        lags.push(Number.POSITIVE_INFINITY);
        // The worker can commit a batch before the writer has even read its append's reply.
      } else lags.push(Math.max(0, applied - appended));
    }
    lags.sort((a, b) => a - b);
    appendLatencies.sort((a, b) => a - b);
    return {
      events: appendedAt.size,
      achievedRate: (appendedAt.size * 1000) / Math.max(1, lastResolved - measuredFrom),
      p50Ms: percentile(lags, 50),
      p99Ms: percentile(lags, 99),
      maxMs: lags.at(-1) ?? Number.NaN,
      unseen,
      appendP99Ms: percentile(appendLatencies, 99),
    };
  } finally {
    await worker.stop();
  }
}

export const lagScenario: Scenario = {
  name: 'lag',
  description: 'append-to-visible lag of an async projection at 50, 500 and 2,000 appends/s (open loop)',
  async run({ config, targets, report, log }) {
    for (const { engine, rate, length = 1, targetP99Ms } of cases) {
      const target = targets.find((t) => t.engine === engine);
      if (!target) continue;
      // About 10 s a case by default, as long as two ordinary measurements.
      const durationMs = config.seconds * 2000 * length;
      log(`lag: ${engine}, ${rate} appends/s for ${durationMs / 1000} s`);
      const result = await withStrataDatabase(target, { maxConnections: 16 }, (database) =>
        measureLag(database, rate, durationMs, warmupMs(config), log),
      );
      report.add({
        bench: 'lag',
        engine,
        rate,
        ...result,
        ...(targetP99Ms === undefined ? {} : { targetP99Ms, meetsTarget: result.p99Ms <= targetP99Ms }),
      });
    }
  },
};
