import { inputLimits, text } from '@strata/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';

/**
 * Keyset pagination: a cursor is the sort key of the last row a page showed, opaque to clients.
 * It comes back from them, so it is input like any other: every part is checked to be a value its
 * column can be compared with before it reaches SQL.
 */
export function encodeCursor(...parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

const inDateRange = (ms: number) => ms >= inputLimits.minDate && ms <= inputLimits.maxDate;

/** What a cursor's parts may be, each as narrow as the column it is compared with. */
export const cursorPart = {
  /** A time as epoch milliseconds, within the dates an input may name. */
  epochMs: z
    .int()
    .refine(inDateRange)
    .transform((ms) => new Date(ms)),
  /** A time as an ISO string (`toISOString()`), within the dates an input may name. */
  isoTime: z.iso
    .datetime()
    .refine((iso) => inDateRange(Date.parse(iso)))
    .transform((iso) => new Date(iso)),
  /** A row's key: an id or a sku. */
  key: text({ max: 200 }),
  /** A whole number of a bigint column, such as revenue. */
  integer: z.int(),
};

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
 * The parts of `cursor` as `parts` parse them, or null without a cursor. A cursor that is not one
 * this api encoded with these parts (forged, truncated, from another list) is BAD_REQUEST.
 */
export function decodeCursor<const Parts extends readonly [z.ZodType, ...z.ZodType[]]>(
  cursor: string | undefined,
  ...parts: Parts
): { -readonly [K in keyof Parts]: z.output<Parts[K]> } | null {
  if (!cursor) return null;
  const decoded = z.tuple([...parts]).safeParse(parseCursorJson(cursor));
  if (!decoded.success) {
    const cause = new InvalidCursorError();
    throw new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  }
  return decoded.data as { -readonly [K in keyof Parts]: z.output<Parts[K]> };
}

/** The page and the cursor after it, from `limit + 1` rows. */
export function pageOf<Row>(rows: Row[], limit: number, cursorOf: (row: Row) => string) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}
