/**
 * The Drizzle operators, types and classes the other workspaces build queries with. They import
 * them from `@strata/db`, never from `drizzle-orm` itself, so one package owns the ORM and its
 * version (as create-t3-turbo's db package does); `scripts/check-imports.mjs` fails on a stray one.
 */
export {
  type AnyColumn,
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gt,
  gte,
  ilike,
  inArray,
  isNull,
  lt,
  lte,
  ne,
  or,
  type SQL,
  sql,
  sum,
} from 'drizzle-orm';
export { PgDialect, PgTransaction } from 'drizzle-orm/pg-core';
