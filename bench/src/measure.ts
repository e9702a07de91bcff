/** Timing helpers: a closed-loop load generator and the statistics the reports need. */

export interface LoadOptions {
  concurrency: number;
  durationMs: number;
  /** Runs the same loop first without recording, so pools are filled and code is warm. */
  warmupMs: number;
  /** One operation; `worker` and `seq` let callers make ids unique without coordination. */
  op: (worker: number, seq: number) => Promise<void>;
  /** Called once the warm-up is over, just before the timed run: where callers reset counters. */
  onMeasureStart?: () => void;
}

export interface LoadResult {
  ops: number;
  elapsedMs: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU this process spent per operation (user + system). On 2 cores the client competes with the
   * server, so client CPU is throughput lost; with PGlite it includes the database itself.
   */
  cpuUsPerOp: number;
}

/**
 * Runs `concurrency` workers, each issuing its next operation as soon as the previous one ends
 * (closed loop), until the deadline. Throughput counts until the last in-flight operation ends,
 * so a slow tail is not hidden.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let seq = 0;
  const loop = async (worker: number, deadline: number, latencies: number[] | undefined) => {
    while (performance.now() < deadline) {
      const started = performance.now();
      // Each operation starts on a new turn of the event loop, as a request arriving over the
      // network would, and waiting for that turn is part of its latency. Without it, PGlite
      // (which answers without I/O) lets a few workers chain queries in microtasks and starve
      // the rest, and every timer, for the whole run.
      await new Promise((resolve) => setImmediate(resolve));
      await options.op(worker, seq++);
      latencies?.push(performance.now() - started);
    }
  };
  const workers = (run: (worker: number) => Promise<void>) =>
    Promise.all(Array.from({ length: options.concurrency }, (_, worker) => run(worker)));

  if (options.warmupMs > 0) {
    const warmupDeadline = performance.now() + options.warmupMs;
    await workers((worker) => loop(worker, warmupDeadline, undefined));
  }
  options.onMeasureStart?.();
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + options.durationMs;
  await workers((worker) => loop(worker, deadline, latencies));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return {
    ops: latencies.length,
    elapsedMs,
    opsPerSec: (latencies.length * 1000) / elapsedMs,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuUsPerOp: (cpu.user + cpu.system) / Math.max(1, latencies.length),
  };
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Times `fn` `runs` times and returns each duration in ms. */
export async function timeRuns(runs: number, fn: () => Promise<void>): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    durations.push(performance.now() - started);
  }
  return durations;
}

/** Rounds for output: enough digits to compare, few enough to read. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
