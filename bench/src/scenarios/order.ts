/**
 * The order path end to end through the api's own command runner (`createApp`: every inline read
 * model, snapshots every 100 events): read the wallet and 1–3 items, price the lines, append the
 * order, the stock taken and the debit in one transaction with expected versions, update the
 * inline read models. Random wallets and items from a small shop make orders collide as they
 * would in a busy one; the runner retries those conflicts, and the bench counts them.
 */
import { randomUUID } from 'node:crypto';
import { createApp, silentLogger } from '@strata/api';
import { count, observeStore, orders } from '@strata/db';
import { type OrderLine, shopLimits, shopPlans } from '@strata/domain';
import { warmupMs } from '../config.ts';
import { withStrataDatabase } from '../databases.ts';
import { runLoad } from '../measure.ts';
import type { Scenario } from '../scenario.ts';

const concurrency = 8;
const walletCount = 50;
const itemCount = 20;
const metadata = { actorId: 'bench' };

/** A deterministic generator, so every engine sees the same sequence of orders. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export const orderScenario: Scenario = {
  name: 'order',
  description: `orders.place through the api's command runner at concurrency ${concurrency}, ${walletCount} wallets, ${itemCount} items`,
  async run({ config, targets, report, log }) {
    for (const target of targets) {
      // One connection per worker plus one for the coalesced NOTIFY after each commit.
      await withStrataDatabase(target, { maxConnections: concurrency + 2 }, async (database) => {
        // Every append the database refused for a stale version: the runner retries each (commands
        // share statements, so there is no transaction of their own to watch).
        let conflictRetries = 0;
        const stopObserving = observeStore({
          appended: ({ outcome }) => {
            if (outcome === 'conflict') conflictRetries++;
          },
        });
        const app = createApp({ database, logger: silentLogger });

        log(`order: ${target.engine}, opening ${walletCount} wallets and adding ${itemCount} items`);
        const wallets = Array.from({ length: walletCount }, () => randomUUID());
        for (const walletId of wallets) {
          await app.commands.run(shopPlans.openWallet(walletId, `bench-owner-${walletId}`), { metadata });
          await app.commands.run(shopPlans.topUpWallet(walletId, shopLimits.maxTopUp), { metadata });
        }
        const skus = Array.from({ length: itemCount }, (_, i) => `BENCH-${i}`);
        for (const [i, sku] of skus.entries()) {
          await app.commands.run(
            shopPlans.addItem({ sku, name: `Bench item ${i}`, price: 100 + 37 * i, quantity: shopLimits.maxStock }),
            { metadata },
          );
        }

        const next = random(42);
        const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
        let failures = 0;
        let placed = 0;
        let firstFailure: unknown;
        log(`order: ${target.engine}, placing orders at concurrency ${concurrency}`);
        const result = await runLoad({
          concurrency,
          durationMs: config.seconds * 1000,
          warmupMs: warmupMs(config),
          onMeasureStart: () => {
            conflictRetries = 0;
            failures = 0;
          },
          op: async () => {
            const lines: OrderLine[] = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
              sku: pick(skus),
              quantity: 1 + Math.floor(next() * 3),
            }));
            try {
              await app.commands.run(shopPlans.placeOrder({ orderId: randomUUID(), walletId: pick(wallets), lines }), {
                metadata,
              });
              placed++;
            } catch (error) {
              failures++;
              firstFailure ??= error;
            }
          },
        });
        if (firstFailure) log(`order: first failure: ${String(firstFailure)}`);
        // Every order the runner reported placed is in the inline orders read model, once.
        const [row] = await database.db.select({ n: count() }).from(orders);
        if (row?.n !== placed) throw new Error(`placed ${placed} orders but the orders read model holds ${row?.n}`);
        report.add({
          bench: 'order',
          engine: target.engine,
          concurrency,
          // Orders placed: an order the runner gave up on is in the latencies, not in the rate.
          ops: result.ops - failures,
          opsPerSec: ((result.ops - failures) * 1000) / result.elapsedMs,
          p50Ms: result.p50Ms,
          p99Ms: result.p99Ms,
          cpuUsPerOp: result.cpuUsPerOp,
          conflictRetries,
          failures,
          conflictRetriesOrFailures: conflictRetries + failures,
        });
        stopObserving();
      });
    }
  },
};
