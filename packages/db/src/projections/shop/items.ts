import { type ItemEvent, type ItemRow, itemEventDefinitions, itemsProjector, shopEvents } from '@strata/domain';
import { inArray, sql } from 'drizzle-orm';
import { type ItemsTable, itemsTable } from '../../schema/shop.ts';
import { defineProjection, projectedEventContext } from '../projection.ts';
import { foldRowChanges } from '../row-changes.ts';

/**
 * Items with their stock and price. Inline: the stock an admin sees after a restock, and the
 * price a client quotes before ordering, must be the ones the next command will be decided on.
 */
export const itemsProjection = defineProjection<{ items: ItemsTable }>({
  name: 'items',
  mode: 'inline',
  eventTypes: itemEventDefinitions.map((d) => d.type),
  tables: (suffix) => ({ items: itemsTable(`items${suffix}`) }),
  tableNames: ['items'],
  async apply(tx, events, { items }) {
    const skus = [...new Set(events.map((e) => e.streamId.replace(/^item-/, '')))];
    const stored = await tx.select().from(items).where(inArray(items.sku, skus));
    const rows = foldRowChanges(
      'sku',
      new Map(stored.map((row) => [row.sku, row as ItemRow])),
      events.flatMap((e) => itemsProjector(shopEvents.decode(e) as ItemEvent, projectedEventContext(e))),
    );
    if (rows.length === 0) return;
    await tx
      .insert(items)
      .values(rows)
      .onConflictDoUpdate({
        target: items.sku,
        set: {
          price: sql`excluded.price`,
          stock: sql`excluded.stock`,
          version: sql`excluded.version`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  },
});
