import { itemSales, items, type StrataDb } from '@strata/db';
import { and, asc, desc, eq, getTableColumns, gt, ilike, lt, or, type SQL } from 'drizzle-orm';
import { cursorPart, decodeCursor, encodeCursor, pageOf } from '../read-models/list-cursor.ts';

export interface ListItemsQuery {
  search?: string | undefined;
  inStock?: boolean | undefined;
  cursor?: string | undefined;
  limit: number;
}

const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** By sku, which never changes, so pages stay put while stock moves. */
export async function listItems(db: StrataDb, query: ListItemsQuery) {
  const conditions: SQL[] = [];
  if (query.search) {
    const pattern = likePattern(query.search);
    conditions.push(or(ilike(items.sku, pattern), ilike(items.name, pattern)) as SQL);
  }
  if (query.inStock === true) conditions.push(gt(items.stock, 0));
  if (query.inStock === false) conditions.push(eq(items.stock, 0));
  const after = decodeCursor(query.cursor, cursorPart.key);
  if (after) conditions.push(gt(items.sku, after[0]));
  const rows = await db
    .select()
    .from(items)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(items.sku))
    .limit(query.limit + 1);
  return pageOf(rows, query.limit, (row) => encodeCursor(row.sku));
}

export async function findItemBySku(db: StrataDb, sku: string) {
  const [row] = await db.select().from(items).where(eq(items.sku, sku));
  return row ?? null;
}

/** Sales per item, best sellers (by revenue) first, with each item's name. */
export async function listSales(db: StrataDb, query: { cursor?: string | undefined; limit: number }) {
  const after = decodeCursor(query.cursor, cursorPart.integer, cursorPart.key);
  const rows = await db
    .select({ ...getTableColumns(itemSales), name: items.name })
    .from(itemSales)
    .leftJoin(items, eq(items.sku, itemSales.sku))
    .where(
      after
        ? or(lt(itemSales.revenue, after[0]), and(eq(itemSales.revenue, after[0]), gt(itemSales.sku, after[1])))
        : undefined,
    )
    .orderBy(desc(itemSales.revenue), asc(itemSales.sku))
    .limit(query.limit + 1);
  return pageOf(rows, query.limit, (row) => encodeCursor(row.revenue, row.sku));
}
