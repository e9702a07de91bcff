import { and, eq, orders, type SQL, type StrataDb } from '@strata/db';
import { keysetPage } from '../read-models/list-cursor.ts';

export interface ListOrdersQuery {
  walletId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Newest first, by (placed_at, order_id). */
export async function listOrders(db: StrataDb, query: ListOrdersQuery) {
  const conditions: SQL[] = [];
  if (query.walletId) conditions.push(eq(orders.walletId, query.walletId));
  const paging = keysetPage(query, [orders.placedAt, 'desc'], [orders.orderId, 'desc']);
  const rows = await db
    .select()
    .from(orders)
    .where(and(...conditions, paging.where))
    .orderBy(...paging.orderBy)
    .limit(paging.limit);
  return paging.page(rows, (row) => [row.placedAt, row.orderId]);
}

export async function findOrderById(db: StrataDb, orderId: string) {
  const [row] = await db.select().from(orders).where(eq(orders.orderId, orderId));
  return row ?? null;
}
