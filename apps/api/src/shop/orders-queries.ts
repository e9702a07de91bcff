import { orders, type StrataDb } from '@strata/db';
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { cursorPart, decodeCursor, encodeCursor, pageOf } from '../read-models/list-cursor.ts';

export interface ListOrdersQuery {
  walletId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Newest first, by (placed_at, order_id). */
export async function listOrders(db: StrataDb, query: ListOrdersQuery) {
  const conditions: SQL[] = [];
  if (query.walletId) conditions.push(eq(orders.walletId, query.walletId));
  const after = decodeCursor(query.cursor, cursorPart.epochMs, cursorPart.key);
  if (after) {
    const [placedAt, orderId] = after;
    conditions.push(
      or(lt(orders.placedAt, placedAt), and(eq(orders.placedAt, placedAt), lt(orders.orderId, orderId))) as SQL,
    );
  }
  const rows = await db
    .select()
    .from(orders)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(orders.placedAt), desc(orders.orderId))
    .limit(query.limit + 1);
  return pageOf(rows, query.limit, (row) => encodeCursor(row.placedAt.getTime(), row.orderId));
}

export async function findOrderById(db: StrataDb, orderId: string) {
  const [row] = await db.select().from(orders).where(eq(orders.orderId, orderId));
  return row ?? null;
}
