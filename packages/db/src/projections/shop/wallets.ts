import { shopEvents, type WalletEvent, type WalletRow, walletEventDefinitions, walletsProjector } from '@strata/domain';
import { inArray, sql } from 'drizzle-orm';
import { type WalletsTable, walletsTable } from '../../schema/shop.ts';
import { defineProjection, projectedEventContext } from '../projection.ts';
import { foldRowChanges } from '../row-changes.ts';

/**
 * Wallet balances. Inline: a top-up or an order answers with a position, and the balance a client
 * reads next must already show it — a balance that lags is the kind people act on twice.
 */
export const walletsProjection = defineProjection<{ wallets: WalletsTable }>({
  name: 'wallets',
  mode: 'inline',
  eventTypes: walletEventDefinitions.map((d) => d.type),
  tables: (suffix) => ({ wallets: walletsTable(`wallets${suffix}`) }),
  tableNames: ['wallets'],
  async apply(tx, events, { wallets }) {
    const ids = [...new Set(events.map((e) => e.streamId.replace(/^wallet-/, '')))];
    const stored = await tx.select().from(wallets).where(inArray(wallets.walletId, ids));
    const rows = foldRowChanges(
      'walletId',
      new Map(stored.map((row) => [row.walletId, row as WalletRow])),
      events.flatMap((e) => walletsProjector(shopEvents.decode(e) as WalletEvent, projectedEventContext(e))),
    );
    if (rows.length === 0) return;
    await tx
      .insert(wallets)
      .values(rows)
      .onConflictDoUpdate({
        target: wallets.walletId,
        set: { balance: sql`excluded.balance`, version: sql`excluded.version`, updatedAt: sql`excluded.updated_at` },
      });
  },
});
