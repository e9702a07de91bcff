import type { PricedOrderLine } from '@strata/domain';
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/*
 * The shop's read models. Money is minor units in bigint columns (balances and revenue outgrow
 * 32 bits); `mode: 'number'` is exact because the domain's limits keep every amount below 2^53.
 * The checks are a last line of defence: the deciders already refuse a negative balance or stock,
 * and a projection that ever tried to write one would fail the append with it.
 */

export function walletsTable(name = 'wallets') {
  return pgTable(
    name,
    {
      walletId: text('wallet_id').primaryKey(),
      ownerId: text('owner_id').notNull(),
      balance: bigint('balance', { mode: 'number' }).notNull(),
      version: integer('version').notNull(),
      openedAt: timestamp('opened_at', { withTimezone: true, mode: 'date' }).notNull(),
      updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
    },
    (t) => [
      index(`${name}_owner_idx`).on(t.ownerId),
      index(`${name}_opened_idx`).on(t.openedAt, t.walletId),
      check(`${name}_balance_check`, sql`${t.balance} >= 0`),
    ],
  );
}
export const wallets = walletsTable();
export type WalletsTable = ReturnType<typeof walletsTable>;

export function itemsTable(name = 'items') {
  return pgTable(
    name,
    {
      sku: text('sku').primaryKey(),
      name: text('name').notNull(),
      price: bigint('price', { mode: 'number' }).notNull(),
      stock: bigint('stock', { mode: 'number' }).notNull(),
      version: integer('version').notNull(),
      createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
      updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
    },
    (t) => [
      index(`${name}_name_idx`).on(sql`lower(${t.name})`),
      check(`${name}_price_check`, sql`${t.price} >= 0`),
      check(`${name}_stock_check`, sql`${t.stock} >= 0`),
    ],
  );
}
export const items = itemsTable();
export type ItemsTable = ReturnType<typeof itemsTable>;

export function ordersTable(name = 'orders') {
  return pgTable(
    name,
    {
      orderId: text('order_id').primaryKey(),
      walletId: text('wallet_id').notNull(),
      lines: jsonb('lines').$type<PricedOrderLine[]>().notNull(),
      total: bigint('total', { mode: 'number' }).notNull(),
      placedAt: timestamp('placed_at', { withTimezone: true, mode: 'date' }).notNull(),
    },
    (t) => [
      index(`${name}_placed_idx`).on(t.placedAt, t.orderId),
      index(`${name}_wallet_idx`).on(t.walletId, t.placedAt, t.orderId),
    ],
  );
}
export const orders = ordersTable();
export type OrdersTable = ReturnType<typeof ordersTable>;

/** Sales per item since its first sale. */
export function itemSalesTable(name = 'item_sales') {
  return pgTable(
    name,
    {
      sku: text('sku').primaryKey(),
      quantitySold: bigint('quantity_sold', { mode: 'number' }).notNull(),
      revenue: bigint('revenue', { mode: 'number' }).notNull(),
      orders: integer('orders').notNull(),
      lastSoldAt: timestamp('last_sold_at', { withTimezone: true, mode: 'date' }).notNull(),
    },
    (t) => [index(`${name}_revenue_idx`).on(t.revenue, t.sku)],
  );
}
export const itemSales = itemSalesTable();
export type ItemSalesTable = ReturnType<typeof itemSalesTable>;
