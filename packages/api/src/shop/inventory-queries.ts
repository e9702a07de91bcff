import { and, eq, getTableColumns, gt, ilike, itemSales, items, or, type SQL, type StrataDb } from '@strata/db';
import { containing } from '../read-models/like-pattern.ts';
import { keysetPage } from '../read-models/list-cursor.ts';

export interface ListItemsQuery {
  search?: string | undefined;
  inStock?: boolean | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** By sku, which never changes, so pages stay put while stock moves. */
export async function listItems(db: StrataDb, query: ListItemsQuery) {
  const conditions: SQL[] = [];
  if (query.search) {
    const pattern = containing(query.search);
    conditions.push(or(ilike(items.sku, pattern), ilike(items.name, pattern)) as SQL);
  }
  if (query.inStock === true) conditions.push(gt(items.stock, 0));
  if (query.inStock === false) conditions.push(eq(items.stock, 0));
  const paging = keysetPage(query, [items.sku, 'asc']);
  const rows = await db
    .select()
    .from(items)
    .where(and(...conditions, paging.where))
    .orderBy(...paging.orderBy)
    .limit(paging.limit);
  return paging.page(rows, (row) => [row.sku]);
}

export async function findItemBySku(db: StrataDb, sku: string) {
  const [row] = await db.select().from(items).where(eq(items.sku, sku));
  return row ?? null;
}

/** Sales per item, best sellers (by revenue) first, with each item's name. */
export async function listSales(db: StrataDb, query: { cursor?: string | undefined; limit: number }) {
  const paging = keysetPage(query, [itemSales.revenue, 'desc'], [itemSales.sku, 'asc']);
  const rows = await db
    .select({ ...getTableColumns(itemSales), name: items.name })
    .from(itemSales)
    .leftJoin(items, eq(items.sku, itemSales.sku))
    .where(paging.where)
    .orderBy(...paging.orderBy)
    .limit(paging.limit);
  return paging.page(rows, (row) => [row.revenue, row.sku]);
}
