import { type AnyColumn, and, asc, desc, eq, gt, lt, or, type SQL } from '@strata/db';
import { inputLimits, text } from '@strata/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';

/**
 * Keyset pagination, the one way every list pages: rows are sorted by a few columns that end in a
 * unique one, and a page starts after the sort key of the last row the previous page showed. A
 * page stays put while rows are added or change elsewhere, and costs an index range scan however
 * deep it is (an OFFSET would count every row before it).
 *
 * The cursor is that sort key as a JSON array, base64url-encoded and opaque to clients: times as
 * epoch milliseconds, text as it is, whole numbers as numbers. It comes back from clients, so it is
 * input like any other: every part is checked against its column before it reaches SQL.
 */

/** A sort column and its direction; the last one of a list must be unique (a primary key). */
export type SortKey = readonly [column: AnyColumn, direction: 'asc' | 'desc'];

/** What a row holds for a sort column. */
type KeyValue = Date | string | number;

const inDateRange = (ms: number) => ms >= inputLimits.minDate && ms <= inputLimits.maxDate;

/** What a cursor's part may be, as narrow as the column it is compared with. */
const cursorParts = {
  /** A time as epoch milliseconds, within the dates an input may name. */
  date: z
    .int()
    .refine(inDateRange)
    .transform((ms) => new Date(ms)),
  /** A row's key: an id or a sku. */
  string: text({ max: 200 }),
  /** A whole number of a bigint column (`mode: 'number'`), such as revenue. */
  number: z.int(),
} satisfies Record<string, z.ZodType<KeyValue>>;

function partOf(column: AnyColumn): z.ZodType<KeyValue> {
  const part = cursorParts[column.dataType as keyof typeof cursorParts];
  if (!part) throw new Error(`keyset paging cannot sort by ${column.name} (${column.dataType})`);
  return part;
}

const encodeCursor = (values: readonly KeyValue[]) =>
  Buffer.from(JSON.stringify(values.map((value) => (value instanceof Date ? value.getTime() : value)))).toString(
    'base64url',
  );

/**
 * A cursor no list handed out. It carries `issues` the way a failed input schema does, so the error
 * formatter reports it as a field error on `cursor`. (A ZodError is no `Error` in zod 4, and tRPC
 * would wrap it and lose its issues.)
 */
export class InvalidCursorError extends Error {
  readonly issues = [
    { path: ['cursor'], message: 'this cursor was not handed out by this list: start again without it' },
  ];
  constructor() {
    super('cursor: this cursor was not handed out by this list');
    this.name = 'InvalidCursorError';
  }
}

function parseCursorJson(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The sort key in `cursor`, or null without one. A cursor that is not one this api encoded for
 * these columns (forged, truncated, from another list) is BAD_REQUEST naming `cursor`.
 */
function decodeCursor(cursor: string | undefined, sort: readonly SortKey[]): KeyValue[] | null {
  if (!cursor) return null;
  const parts = sort.map(([column]) => partOf(column)) as [z.ZodType<KeyValue>, ...z.ZodType<KeyValue>[]];
  const decoded = z.tuple(parts).safeParse(parseCursorJson(cursor));
  if (!decoded.success) {
    const cause = new InvalidCursorError();
    throw new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  }
  return decoded.data;
}

/**
 * Rows strictly after `key` in the order of `sort`: `(a > x) or (a = x and b > y)`, with `<` for
 * descending columns. (A row comparison `(a, b) > (x, y)` cannot mix directions.)
 */
function after(sort: readonly SortKey[], key: readonly KeyValue[], from = 0): SQL {
  const [column, direction] = sort[from] as SortKey;
  const value = key[from];
  const beyond = (direction === 'asc' ? gt : lt)(column, value);
  if (from === sort.length - 1) return beyond;
  return or(beyond, and(eq(column, value), after(sort, key, from + 1))) as SQL;
}

/**
 * One page of a list sorted by `sort`, starting after `query.cursor`: put `where` (with the list's
 * own filters), `orderBy` and `limit` into the select, then `page(rows, keyOf)` makes the page and
 * the cursor after it, `keyOf` naming a row's values of the sort columns in the same order.
 */
export function keysetPage(query: { cursor?: string | undefined; limit: number }, ...sort: [SortKey, ...SortKey[]]) {
  const key = decodeCursor(query.cursor, sort);
  return {
    /** Rows after the cursor, or undefined (no condition) without one. */
    where: key ? after(sort, key) : undefined,
    orderBy: sort.map(([column, direction]) => (direction === 'asc' ? asc(column) : desc(column))),
    /** One row more than the page, to know whether another page follows. */
    limit: query.limit + 1,
    page<Row>(rows: Row[], keyOf: (row: Row) => readonly KeyValue[]) {
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(keyOf(last)) : null };
    },
  };
}
