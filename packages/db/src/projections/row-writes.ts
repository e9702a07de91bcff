import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { MergedRowChanges } from './row-changes.ts';

/** A table row changes are written to: its name, its columns and its key, as SQL names. */
export interface RowTable {
  name: string;
  /** Property name (as projectors write rows) and column name. */
  columns: readonly { property: string; column: string }[];
  keyColumn: string;
}

/**
 * One row change as a write statement receives it (jsonb): the table, `i`nsert or `u`pdate, the
 * values by column name (an update's hold the key and the columns it sets), and within a command
 * batch the request it belongs to, so a refused request's changes are left out.
 */
export interface WireRowChange {
  t: string;
  k: 'i' | 'u';
  v: Record<string, unknown>;
  r?: number;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Describes a Drizzle table for row writes; `key` is the property of its primary key. */
export function rowTableOf(table: PgTable, key: string): RowTable {
  const columns = Object.entries(getTableColumns(table)).map(([property, column]) => ({
    property,
    column: column.name,
  }));
  const keyColumn = columns.find((c) => c.property === key)?.column;
  if (!keyColumn) throw new Error(`table ${getTableName(table)} has no column for key ${key}`);
  return { name: getTableName(table), columns, keyColumn };
}

/** A table's merged changes, with column names, as the write statement takes them. */
export function wireRowChanges(table: RowTable, merged: MergedRowChanges<object>, request?: number): WireRowChange[] {
  const toColumns = (row: object) => {
    const values: Record<string, unknown> = {};
    for (const { property, column } of table.columns) {
      const value = (row as Record<string, unknown>)[property];
      if (value !== undefined) values[column] = value;
    }
    return values;
  };
  const tagged = (k: 'i' | 'u', row: object): WireRowChange =>
    request === undefined
      ? { t: table.name, k, v: toColumns(row) }
      : { t: table.name, k, v: toColumns(row), r: request };
  return [...merged.inserts.map((row) => tagged('i', row)), ...merged.updates.map((row) => tagged('u', row))];
}

/**
 * The WITH items that write the changes of `source` (a query with columns t, k, v) into each
 * table: one insert that keeps a row already there, one update that sets only the columns the
 * change names. Set-based and without a read first, so any number of changes costs the
 * statement they ride in, not a round trip each. A row gets one change per statement at most
 * (see mergeRowChanges): an update cannot see a row inserted beside it.
 */
export function rowWriteCtes(tables: readonly RowTable[], source: string): string[] {
  return tables.flatMap((table, i) => {
    const name = quote(table.name);
    const columns = table.columns.map((c) => quote(c.column));
    const key = quote(table.keyColumn);
    const picked = `${source} AS c CROSS JOIN LATERAL jsonb_populate_record(null::${name}, c.v) AS r`;
    const sets = table.columns
      .filter((c) => c.column !== table.keyColumn)
      .map(
        (c) =>
          `${quote(c.column)} = CASE WHEN c.v ? ${literal(c.column)} THEN r.${quote(c.column)} ELSE t.${quote(c.column)} END`,
      );
    return [
      `rows_inserted_${i} AS (INSERT INTO ${name} AS t (${columns.join(', ')})
         SELECT ${columns.map((c) => `r.${c}`).join(', ')} FROM ${picked}
          WHERE c.t = ${literal(table.name)} AND c.k = 'i'
         ON CONFLICT (${key}) DO NOTHING)`,
      `rows_updated_${i} AS (UPDATE ${name} AS t SET ${sets.join(', ')}
          FROM ${picked}
         WHERE c.t = ${literal(table.name)} AND c.k = 'u' AND t.${key} = r.${key})`,
    ];
  });
}
