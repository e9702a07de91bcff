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

/** Metadata as the api writes it: who, and which request. */
export function apiMetadata(n: number): { actorId: string; requestId: string; correlationId: string } {
  const requestId = `req-${n.toString(36).padStart(8, '0')}`;
  return { actorId: '6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e', requestId, correlationId: requestId };
}

/**
 * Shop events with the payloads the domain writes (wallet debits, stock taken, orders placed), so
 * benchmarks that read events back decode bytes of a realistic size and types projections handle.
 */
export function shopEvents(kind: 'wallet' | 'item' | 'order', from: number, count: number): NewEvent[] {
  const make: Record<typeof kind, (n: number, orderId: string) => Omit<NewEvent, 'metadata'>> = {
    wallet: (n, orderId) => ({
      type: 'WalletDebited',
      data: { orderId, amount: 1250 + (n % 97), balance: 10_000_000 - n },
    }),
    item: (n, orderId) => ({
      type: 'StockTaken',
      data: { orderId, quantity: 1 + (n % 3), unitPrice: 1250, stock: 1_000_000 - n },
    }),
    order: (n, orderId) => ({
      type: 'OrderPlaced',
      data: {
        orderId,
        walletId: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
        lines: [
          { sku: `SKU-${n % 20}`, quantity: 1 + (n % 3), unitPrice: 1250 },
          { sku: `SKU-${(n + 7) % 20}`, quantity: 1, unitPrice: 990 },
        ],
        total: 1250 * (1 + (n % 3)) + 990,
      },
    }),
  };
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const orderId = `0b7e${n.toString(16).padStart(8, '0')}-1c2d-4e3f-8a9b-0c1d2e3f4a5b`;
    return { ...make[kind](n, orderId), metadata: apiMetadata(n) };
  });
}
