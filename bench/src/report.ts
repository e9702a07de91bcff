/** Results: one JSON line each as they arrive (for machines), one table at the end (for people). */
import { round } from './measure.ts';

export type EngineName = 'postgres' | 'pglite';

export type PgbenchScript = 'insert' | 'strata_append';

/** Who answered an http row: the api as `npm start` runs it, the api without its worker, or the floor. */
export type HttpServerName = 'api' | 'api --no-worker' | 'bare trpc';

/** A closed-loop run's throughput and latency (see measure.ts). */
type LoadFigures = { opsPerSec: number; p50Ms: number; p99Ms: number; cpuUsPerOp: number };

export type Result =
  | {
      bench: 'append';
      engine: EngineName;
      concurrency: number;
      ops: number;
      opsPerSec: number;
      p50Ms: number;
      p99Ms: number;
      cpuUsPerOp: number;
    }
  | {
      bench: 'batch';
      engine: EngineName;
      batchSize: number;
      batches: number;
      eventsPerSec: number;
      p50Ms: number;
      p99Ms: number;
      /** Per batch. */
      cpuUsPerOp: number;
    }
  | { bench: 'fold'; engine: EngineName; events: number; snapshot: boolean; ms: number; runs: number }
  | {
      bench: 'pgbench';
      engine: 'postgres';
      script: PgbenchScript;
      concurrency: number;
      tps: number;
      strataOpsPerSec: number;
      /** Strata ÷ pgbench. */
      ratio: number;
      /** Only the `insert` script has a target (Strata ≥ 0.8 of it). */
      target?: number;
      meetsTarget?: boolean;
    }
  | ({
      /** Bare INSERTs group-committed from Node: what any Node client could reach. */
      bench: 'ceiling';
      engine: 'postgres';
      concurrency: number;
      strataOpsPerSec: number;
      /** Strata ÷ the ceiling. */
      ratio: number;
    } & LoadFigures)
  | ({
      bench: 'emmett';
      engine: 'postgres';
      concurrency: number;
      strataOpsPerSec: number;
      strataCpuUsPerOp: number;
      /** Strata ÷ Emmett. */
      ratio: number;
      target: number;
      meetsTarget: boolean;
    } & LoadFigures)
  | {
      bench: 'announce';
      engine: EngineName;
      concurrency: number;
      announce: boolean;
      opsPerSec: number;
      p50Ms: number;
      p99Ms: number;
      cpuUsPerOp: number;
      /** NOTIFYs a listener received per append: how well the announcements coalesce. */
      notificationsPerAppend: number;
      /** On the row without: its throughput ÷ the row with. */
      speedupWithout?: number;
    }
  | {
      bench: 'rebuild';
      engine: EngineName;
      events: number;
      opsPerSec: number;
      ms: number;
      /** The same pages read with `readAll` alone, no apply, no writes: the floor the read sets. */
      readAllMs: number;
      /** Only PostgreSQL has a target (≥ 50,000 events/s). */
      target?: number;
      meetsTarget?: boolean;
    }
  | {
      bench: 'lag';
      engine: EngineName;
      /** Appends per second asked for (open loop). */
      rate: number;
      achievedRate: number;
      events: number;
      /** Append resolved → the worker's transaction that applied it committed. */
      p50Ms: number;
      p99Ms: number;
      maxMs: number;
      /** Appends the worker had not applied when the wait after the run ended. */
      unseen: number;
      /** The appends' own latency, so a saturated writer is not mistaken for a slow worker. */
      appendP99Ms: number;
      /** Only PostgreSQL at 500/s has a target (p99 ≤ 50 ms). */
      targetP99Ms?: number;
      meetsTarget?: boolean;
    }
  | {
      bench: 'order';
      engine: EngineName;
      concurrency: number;
      ops: number;
      opsPerSec: number;
      p50Ms: number;
      p99Ms: number;
      cpuUsPerOp: number;
      /** Attempts the runner threw away on a version conflict and retried. */
      conflictRetries: number;
      /** Orders that failed for good (retries exhausted, or refused). */
      failures: number;
      conflictRetriesOrFailures: number;
    }
  | {
      bench: 'http';
      /** Where the api keeps its data; the floor is always on PostgreSQL. */
      engine: EngineName;
      server: HttpServerName;
      /** On a floor row: the api run it was measured for (just before it, at the same concurrency). */
      beside?: string;
      /** The floor's: the procedure whose ratios it is the floor of. */
      before?: string;
      procedure: string;
      concurrency: number;
      /** Requests answered 2xx. */
      requests: number;
      opsPerSec: number;
      p50Ms: number;
      p99Ms: number;
      /** Answers other than 2xx, and requests that got none. */
      failed: number;
      /** CPU of the server process (api or floor, not PostgreSQL) per request answered. */
      cpuUsPerOp?: number;
      /** The floor beside this api run at the same concurrency, and this row ÷ it. */
      floorOpsPerSec?: number;
      floorP50Ms?: number;
      floorRatio?: number;
      floorP50Ratio?: number;
      /** Events the async projections had not applied when the run ended; how long catching up took. */
      workerBacklog?: number;
      catchUpMs?: number;
      /** On `api --no-worker` rows: the api with its worker (the earlier run) ÷ this. */
      workerRatio?: number;
      target?: string;
      meetsTarget?: boolean;
    };

export class Report {
  readonly results: Result[] = [];

  add(result: Result): void {
    const rounded = Object.fromEntries(
      Object.entries(result).map(([key, value]) => [key, typeof value === 'number' ? round(value) : value]),
    ) as Result;
    this.results.push(rounded);
    console.log(JSON.stringify(rounded));
  }

  /** A fixed-width table; the same rows as the JSON, with the unit spelt out. */
  table(): string {
    const header = ['bench', 'engine', 'case', 'result', 'p50 ms', 'p99 ms', 'cpu µs/op', 'compared'];
    const rows = this.results.map(describe);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
    return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
  }
}

const num = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 1 });
const ms = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? value.toFixed(2) : '');
const us = (value: number | undefined) => (value === undefined ? '' : Math.round(value).toString());
const verdict = (met: boolean | undefined) => (met ? 'ok' : 'MISSED');

interface Row {
  case: string;
  result: string;
  p50Ms?: number;
  p99Ms?: number;
  cpuUsPerOp?: number;
  compared?: string;
}

function describe(r: Result): string[] {
  const row = cells(r);
  return [
    r.bench,
    r.engine,
    row.case,
    row.result,
    ms(row.p50Ms),
    ms(row.p99Ms),
    us(row.cpuUsPerOp),
    row.compared ?? '',
  ];
}

function cells(r: Result): Row {
  switch (r.bench) {
    case 'append':
      return { ...r, case: `c=${r.concurrency}`, result: `${num(r.opsPerSec)} ops/s` };
    case 'batch':
      return { ...r, case: `${r.batchSize}/batch`, result: `${num(r.eventsPerSec)} events/s` };
    case 'fold':
      return {
        case: `${num(r.events)} events, ${r.snapshot ? 'snapshot' : 'no snapshot'}`,
        result: `${ms(r.ms)} ms (median of ${r.runs})`,
      };
    case 'pgbench': {
      const target =
        r.target === undefined ? '' : ` (target ≥${Math.round(r.target * 100)}%: ${verdict(r.meetsTarget)})`;
      return {
        case: `c=${r.concurrency}, ${r.script}`,
        result: `${num(r.tps)} tps`,
        compared: `strata ${num(r.strataOpsPerSec)} ops/s = ${Math.round(r.ratio * 100)}%${target}`,
      };
    }
    case 'ceiling':
      return {
        ...r,
        case: `c=${r.concurrency}, node group insert`,
        result: `${num(r.opsPerSec)} ops/s`,
        compared: `strata ${num(r.strataOpsPerSec)} ops/s = ${Math.round(r.ratio * 100)}%`,
      };
    case 'emmett':
      return {
        ...r,
        case: `c=${r.concurrency}`,
        result: `${num(r.opsPerSec)} ops/s`,
        compared: `strata ${num(r.strataOpsPerSec)} ops/s, ${us(r.strataCpuUsPerOp)} µs/op = ${r.ratio.toFixed(2)}x (target ≥${r.target}x: ${verdict(r.meetsTarget)})`,
      };
    case 'announce':
      return {
        ...r,
        case: `c=${r.concurrency}, ${r.announce ? 'with' : 'without'} announce`,
        result: `${num(r.opsPerSec)} ops/s`,
        compared: r.announce
          ? `${r.notificationsPerAppend.toFixed(2)} NOTIFY per append`
          : `${(r.speedupWithout ?? Number.NaN).toFixed(2)}x the rate with announce`,
      };
    case 'rebuild': {
      const target = r.target === undefined ? '' : ` (target ≥${num(r.target)}/s: ${verdict(r.meetsTarget)})`;
      return {
        case: `${num(r.events)} events, event_stats`,
        result: `${num(r.opsPerSec)} events/s${target}`,
        compared: `${ms(r.ms)} ms; readAll alone ${ms(r.readAllMs)} ms`,
      };
    }
    case 'lag': {
      const target = r.targetP99Ms === undefined ? '' : ` (target p99 ≤${r.targetP99Ms} ms: ${verdict(r.meetsTarget)})`;
      const unseen = r.unseen > 0 ? `, ${num(r.unseen)} never seen` : '';
      return {
        ...r,
        case: `${num(r.rate)} appends/s asked`,
        result: `${num(r.achievedRate)} appends/s done`,
        compared: `max ${ms(r.maxMs)} ms, append p99 ${ms(r.appendP99Ms)} ms${unseen}${target}`,
      };
    }
    case 'order':
      return {
        ...r,
        case: `c=${r.concurrency}, placeOrder`,
        result: `${num(r.opsPerSec)} orders/s`,
        compared: `${num(r.conflictRetries)} conflict retries, ${num(r.failures)} failed`,
      };
    case 'http':
      return {
        ...r,
        case: httpCase(r),
        result: `${num(r.opsPerSec)} req/s, ${num(r.failed)} failed`,
        compared: httpCompared(r),
      };
  }
}

function httpCase(r: Extract<Result, { bench: 'http' }>): string {
  const what = r.server === 'bare trpc' ? `bare trpc insert (beside ${r.beside})` : `${r.server} ${r.procedure}`;
  return `c=${r.concurrency}, ${what}`;
}

function httpCompared(r: Extract<Result, { bench: 'http' }>): string {
  const times = (value: number, digits: number) => (Number.isFinite(value) ? `${value.toFixed(digits)}x` : '-');
  const parts: string[] = [];
  if (r.floorRatio !== undefined && r.floorP50Ratio !== undefined) {
    parts.push(`${times(r.floorRatio, 2)} floor, p50 ${times(r.floorP50Ratio, 1)}`);
  }
  if (r.workerRatio !== undefined) parts.push(`with worker = ${times(r.workerRatio, 2)} this`);
  if (r.workerBacklog !== undefined) {
    parts.push(`worker ${num(r.workerBacklog)} behind, caught up in ${num((r.catchUpMs ?? 0) / 1000)} s`);
  }
  const target = r.target === undefined ? '' : ` (target ${r.target}: ${verdict(r.meetsTarget)})`;
  return `${parts.join('; ')}${target}`;
}
