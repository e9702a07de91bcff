/**
 * Money is an integer number of minor units (cents) everywhere in the api. People read and type
 * major units ("12.50"); these convert exactly, without floating-point arithmetic on the way in.
 */
const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 123456 → "1,234.56" (in the reader's locale). Exact: the domain keeps amounts far below 2^53 / 100. */
export function formatMoney(minor: number): string {
  return money.format(minor / 100);
}

/** 1250 → "12.50": what an amount field shows when it starts from a stored value. */
export function minorToInput(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

export type ParsedMoney = { ok: true; minor: number } | { ok: false; error: string };

/**
 * "12", "12.5", "12.50", "1 234,50" → minor units. At most two decimals; `.` or `,` as the decimal
 * separator; spaces and apostrophes between digits are ignored.
 */
export function parseMoney(input: string, { min = 0, max }: { min?: number; max: number }): ParsedMoney {
  const text = input.trim().replace(/[\s'_\u00a0\u202f]/g, '');
  if (!text) return { ok: false, error: 'Enter an amount.' };
  const match = /^(\d{1,13})(?:[.,](\d{1,2}))?$/.exec(text);
  if (!match) {
    return { ok: false, error: 'Enter an amount like 12.50: digits, and at most two decimals.' };
  }
  const minor = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (minor < min) return { ok: false, error: `The amount must be at least ${formatMoney(min)}.` };
  if (minor > max) return { ok: false, error: `The amount can be at most ${formatMoney(max)}.` };
  return { ok: true, minor };
}

/** A whole number typed into a quantity field, or an error in words. */
export function parseQuantity(
  input: string,
  { min, max }: { min: number; max: number },
): { ok: true; value: number } | { ok: false; error: string } {
  const text = input.trim().replace(/[\s'_,\u00a0\u202f]/g, '');
  if (!/^\d{1,13}$/.test(text)) return { ok: false, error: 'Enter a whole number.' };
  const value = Number(text);
  if (value < min) return { ok: false, error: `Enter at least ${min}.` };
  if (value > max) return { ok: false, error: `Enter at most ${count.format(max)}.` };
  return { ok: true, value };
}

const count = new Intl.NumberFormat();
/** 12345 → "12,345". */
export const formatCount = (n: number) => count.format(n);
