/** The events every scenario writes, so Strata, Emmett and pgbench all store the same bytes. */
import type { NewEvent } from '@strata/db';

export const benchStreamType = 'bench';
export const benchEventType = 'BenchEventRecorded';

/** A payload of realistic size (~100 bytes of JSON), not an empty object that flatters the numbers. */
export function benchData(n: number): { n: number; amount: number; note: string } {
  return { n, amount: n % 1000, note: 'a bench event with a short human-readable note' };
}

export const benchMetadata = { actorId: 'bench' };

export function benchEvent(n: number): NewEvent {
  return { type: benchEventType, data: benchData(n), metadata: benchMetadata };
}

/** Stream ids unique across runs without coordination between workers. */
export function streamIdFactory(): (worker: number, seq: number) => string {
  const run = Math.random().toString(36).slice(2, 10);
  return (worker, seq) => `bench-${run}-${worker}-${seq}`;
}
