import {
  type ItemSalesRow,
  itemSalesProjector,
  type OrderEvent,
  type OrderRow,
  orderEventDefinitions,
  ordersProjector,
  shopEvents,
} from '@strata/domain';
import { sql } from 'drizzle-orm';
import { type ItemSalesTable, itemSalesTable, ordersTable } from '../../schema/shop.ts';
import { defineProjection, projectedEventContext } from '../projection.ts';
import { defineRowProjection } from '../row-projection.ts';

/**
 * The orders list. Inline: `orders.place` answers with the order as stored (its total and priced
 * lines), and the client's next `orders.byId` must find it. Orders never change once placed.
 */
export const ordersProjection = defineRowProjection<OrderRow>({
  name: 'orders',
  eventTypes: orderEventDefinitions.map((d) => d.type),
  tableName: 'orders',
  table: (suffix) => ordersTable(`orders${suffix}`),
  key: 'orderId',
  changes: (event, context) => ordersProjector(shopEvents.decode(event) as OrderEvent, context),
});

/**
 * Sales per item, from the same OrderPlaced events. Async: it is a report that may trail by a
 * moment (queries pass `minPosition` to read their own writes), and keeping it out of the order's
 * transaction keeps the hot path — and its row locks — short. Totals are added, not set, which is
 * safe because the worker moves its checkpoint in the same transaction (each event applies once).
 */
export const itemSalesProjection = defineProjection<{ sales: ItemSalesTable }>({
  name: 'item_sales',
  mode: 'async',
  eventTypes: orderEventDefinitions.map((d) => d.type),
  tables: (suffix) => ({ sales: itemSalesTable(`item_sales${suffix}`) }),
  tableNames: ['item_sales'],
  async apply(tx, events, { sales }) {
    const totals = new Map<string, ItemSalesRow>();
    for (const stored of events) {
      const event = shopEvents.decode(stored) as OrderEvent;
      for (const sale of itemSalesProjector(event, projectedEventContext(stored))) {
        const row = totals.get(sale.sku) ?? {
          sku: sale.sku,
          quantitySold: 0,
          revenue: 0,
          orders: 0,
          lastSoldAt: sale.soldAt,
        };
        row.quantitySold += sale.quantity;
        row.revenue += sale.revenue;
        row.orders += 1;
        if (sale.soldAt > row.lastSoldAt) row.lastSoldAt = sale.soldAt;
        totals.set(sale.sku, row);
      }
    }
    if (totals.size === 0) return;
    await tx
      .insert(sales)
      .values([...totals.values()])
      .onConflictDoUpdate({
        target: sales.sku,
        set: {
          quantitySold: sql`${sales.quantitySold} + excluded.quantity_sold`,
          revenue: sql`${sales.revenue} + excluded.revenue`,
          orders: sql`${sales.orders} + excluded.orders`,
          lastSoldAt: sql`greatest(${sales.lastSoldAt}, excluded.last_sold_at)`,
        },
      });
  },
});
