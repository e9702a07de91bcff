/** Results: one JSON line each as they arrive (for machines), one table at the end (for people). */
import { round } from './measure.ts';

export type EngineName = 'postgres' | 'pglite';

export type PgbenchScript = 'insert' | 'strata_append';

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
  | {
      bench: 'emmett';
      engine: 'postgres';
      concurrency: number;
      opsPerSec: number;
      p50Ms: number;
      p99Ms: number;
      cpuUsPerOp: number;
      strataOpsPerSec: number;
      strataCpuUsPerOp: number;
      /** Strata ÷ Emmett. */
      ratio: number;
      target: number;
      meetsTarget: boolean;
    }
  | {
      bench: 'notify';
      engine: 'postgres';
      concurrency: number;
      pgNotify: boolean;
      opsPerSec: number;
      p50Ms: number;
      p99Ms: number;
      cpuUsPerOp: number;
      /** On the row without pg_notify: its throughput ÷ the row with it. */
      speedupWithout?: number;
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
    case 'emmett':
      return {
        ...r,
        case: `c=${r.concurrency}`,
        result: `${num(r.opsPerSec)} ops/s`,
        compared: `strata ${num(r.strataOpsPerSec)} ops/s, ${us(r.strataCpuUsPerOp)} µs/op = ${r.ratio.toFixed(2)}x (target ≥${r.target}x: ${verdict(r.meetsTarget)})`,
      };
    case 'notify':
      return {
        ...r,
        case: `c=${r.concurrency}, ${r.pgNotify ? 'with' : 'without'} pg_notify`,
        result: `${num(r.opsPerSec)} ops/s`,
        compared: r.speedupWithout === undefined ? '' : `${r.speedupWithout.toFixed(2)}x the rate with pg_notify`,
      };
  }
}
