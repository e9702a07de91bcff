import { itemSales, PgDialect, type SQL, users } from '@strata/db';
import { describe, expect, it } from 'vitest';
import { keysetPage } from '../src/read-models/list-cursor.ts';

const dialect = new PgDialect();
function sqlOf(where: SQL | undefined) {
  if (!where) throw new Error('expected a condition');
  return dialect.sqlToQuery(where);
}
const cursorOf = (...parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

describe('keyset paging', () => {
  it('hands out the last row’s sort key as the cursor, times as epoch milliseconds, and reads it back', () => {
    const createdAt = new Date('2026-12-05T07:00:00.123Z');
    const rows = [
      { userId: 'a', createdAt },
      { userId: 'b', createdAt },
      { userId: 'c', createdAt },
    ];
    const first = keysetPage({ limit: 2 }, [users.createdAt, 'asc'], [users.userId, 'asc']);
    expect(first.where).toBeUndefined();
    expect(first.limit).toBe(3);
    const page = first.page(rows, (row) => [row.createdAt, row.userId]);
    expect(page).toEqual({ items: rows.slice(0, 2), nextCursor: cursorOf(createdAt.getTime(), 'b') });
    expect(first.page(rows.slice(0, 2), (row) => [row.createdAt, row.userId]).nextCursor).toBeNull();

    const next = keysetPage(
      { limit: 2, cursor: page.nextCursor ?? undefined },
      [users.createdAt, 'asc'],
      [users.userId, 'asc'],
    );
    const where = sqlOf(next.where);
    expect(where.sql).toBe('("users"."created_at" > $1 or ("users"."created_at" = $2 and "users"."user_id" > $3))');
    expect(where.params).toEqual([createdAt.toISOString(), createdAt.toISOString(), 'b']);
  });

  it('compares each column in its own direction', () => {
    const paging = keysetPage(
      { limit: 10, cursor: cursorOf(500, 'SKU-1') },
      [itemSales.revenue, 'desc'],
      [itemSales.sku, 'asc'],
    );
    const where = sqlOf(paging.where);
    expect(where.sql).toBe(
      '("item_sales"."revenue" < $1 or ("item_sales"."revenue" = $2 and "item_sales"."sku" > $3))',
    );
    expect(where.params).toEqual([500, 500, 'SKU-1']);
  });

  it.each([
    ['a time that is no number', cursorOf('2026-12-05T07:00:00.000Z', 'x')],
    ['a time past the last date an input may name', cursorOf(8.64e15, 'x')],
    ['a fractional time', cursorOf(0.5, 'x')],
    ['a part missing', cursorOf(0)],
    ['a part too many', cursorOf(0, 'x', 'y')],
    ['a key holding a NUL character', cursorOf(0, 'x\u0000')],
    ['no base64 JSON at all', '%%% not base64 %%%'],
  ])('refuses a cursor with %s as a BAD_REQUEST naming cursor', (_, cursor) => {
    const refusal = (() => {
      try {
        keysetPage({ limit: 1, cursor }, [users.createdAt, 'asc'], [users.userId, 'asc']);
      } catch (error) {
        return error as { code?: string; cause?: { issues?: { path: string[] }[] } };
      }
    })();
    expect(refusal?.code).toBe('BAD_REQUEST');
    expect(refusal?.cause?.issues?.[0]?.path).toEqual(['cursor']);
  });
});
