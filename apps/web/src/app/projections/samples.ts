import { useSyncExternalStore } from 'react';
import type { ProjectionStatus } from '../../api/trpc';

/** One look at the status: the log's head and the worst lag of any async read model then. */
export interface Sample {
  /** When the browser received it (ms since the epoch). */
  at: number;
  head: number;
  lag: number;
  lagSeconds: number;
}

export interface Point {
  at: number;
  /** null: no sample there (the page was closed or the api did not answer), the line breaks. */
  value: number | null;
}

/** How much history the charts show, and keep. */
export const windowMs = 5 * 60_000;
/** Samples further apart than this are not joined by a line. */
const gapMs = 15_000;

/*
 * The rolling window lives in memory for as long as the tab is open, so leaving the page and
 * coming back keeps what was sampled so far. Nothing is stored anywhere else.
 */
let samples: readonly Sample[] = [];
const noSamples: readonly Sample[] = [];
const listeners = new Set<() => void>();

export function summarise(statuses: readonly ProjectionStatus[], at: number): Sample {
  let head = 0;
  let lag = 0;
  let lagSeconds = 0;
  for (const status of statuses) {
    head = Math.max(head, status.headPosition);
    if (status.mode === 'async') {
      lag = Math.max(lag, status.lag);
      lagSeconds = Math.max(lagSeconds, status.lagSeconds);
    }
  }
  return { at, head, lag, lagSeconds };
}

export function recordSample(sample: Sample) {
  const last = samples.at(-1);
  if (last && sample.at <= last.at) return;
  samples = [...samples.filter((s) => s.at > sample.at - windowMs), sample];
  for (const listener of listeners) listener();
}

export function useSamples(): readonly Sample[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => samples,
    () => noSamples,
  );
}

/**
 * Events appended per second between each sample and the one before it: a step for each
 * interval, since the rate is what happened across it, not at its end.
 */
export function eventsPerSecond(series: readonly Sample[]): Point[] {
  const points: Point[] = [];
  for (let i = 1; i < series.length; i++) {
    const previous = series[i - 1] as Sample;
    const current = series[i] as Sample;
    const elapsed = current.at - previous.at;
    if (elapsed > gapMs) {
      points.push({ at: previous.at + 1, value: null });
      continue;
    }
    const value = Math.max(0, ((current.head - previous.head) * 1000) / elapsed);
    points.push({ at: previous.at, value }, { at: current.at, value });
  }
  return points;
}

/** The worst lag (events) at each sample. */
export function lagPoints(series: readonly Sample[]): Point[] {
  const points: Point[] = [];
  for (let i = 0; i < series.length; i++) {
    const current = series[i] as Sample;
    const previous = series[i - 1];
    if (previous && current.at - previous.at > gapMs) points.push({ at: previous.at + 1, value: null });
    points.push({ at: current.at, value: current.lag });
  }
  return points;
}
