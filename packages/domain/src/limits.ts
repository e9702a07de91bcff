/**
 * The limits the api enforces, in a module of their own without zod, so the SDK can hand them to
 * browser code (the web app checks them first, to say so in the user's units) without shipping
 * the schemas. The domain's values modules re-export them.
 */

/**
 * Money is an integer count of minor units (cents). The limits keep every sum an order can reach
 * (100 lines × 10,000 × the highest price) far below 2^53, so plain numbers stay exact; balances
 * and revenue still outgrow 32-bit integers, so read-model columns are bigint.
 */
export const shopLimits = {
  maxTopUp: 1_000_000_00,
  maxBalance: 1_000_000_000_00,
  maxPrice: 1_000_000_00,
  maxStock: 1_000_000_000,
  maxLineQuantity: 10_000,
  maxOrderLines: 100,
} as const;

export const articleLimits = { maxTitle: 200, maxBody: 100_000, maxSlug: 120 } as const;

/**
 * The ranges every number and date an input carries must stay in, so none reaches the database
 * outside the range of its column (where it would fail as an error of the server, not the input).
 */
export const inputLimits = {
  /** Stream versions are PostgreSQL `integer` (int4) columns. */
  maxVersion: 2_147_483_647,
  /** Positions are `bigint` columns but travel as JavaScript numbers, which are exact to 2^53 − 1. */
  maxPosition: Number.MAX_SAFE_INTEGER,
  /**
   * Dates an input may name, as epoch milliseconds: 1970 to the end of 9999, the years a
   * four-digit ISO date can write and every store and browser can hold.
   */
  minDate: Date.UTC(1970, 0, 1),
  maxDate: Date.UTC(9999, 11, 31, 23, 59, 59, 999),
} as const;
