import type { EncodedEvent, RowEventContext } from '@strata/domain';
import { sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { StrataDb } from '../connection.ts';
import { defineProjection, type Projection, rowEventContext } from './projection.ts';
import { mergeRowChanges, type RowChange } from './row-changes.ts';
import { type RowTable, rowTableOf, rowWriteCtes, wireRowChanges } from './row-writes.ts';

/**
 * An inline read model of one table whose rows follow from events alone: a pure projector turns
 * each event into inserts and updates, and the database applies them without reading first. The
 * command runner computes them before the append and sends both in one statement; a rebuild
 * replays them batch by batch into a fresh copy of the table.
 */
export interface RowProjectionSpec<Row = object> {
  /** The table, live for suffix '' (a rebuild asks for a copy). */
  table(suffix: string): PgTable;
  /** The property of the table's primary key. */
  key: keyof Row & string;
  changes(event: EncodedEvent, context: RowEventContext): RowChange<Row>[];
}

export type RowProjection<Row = object> = Projection<{ table: PgTable }> & { rows: RowProjectionSpec<Row> };

/** Defines an inline row projection; see {@link RowProjectionSpec}. */
export function defineRowProjection<Row>(
  definition: { name: string; eventTypes: readonly string[]; tableName: string } & RowProjectionSpec<Row>,
): RowProjection<Row> {
  const { name, eventTypes, tableName, ...rows } = definition;
  return {
    ...defineProjection<{ table: PgTable }>({
      name,
      mode: 'inline',
      eventTypes,
      tables: (suffix) => ({ table: rows.table(suffix) }),
      tableNames: [tableName],
      async apply(tx, events, { table }) {
        const target = rowTableOf(table, rows.key);
        const merged = mergeRowChanges(
          rows.key,
          events.flatMap((event) => rows.changes(event, rowEventContext(event))),
        );
        await writeRows(tx, target, wireRowChanges(target, merged as never));
      },
    }),
    rows,
  };
}

/** Applies wire changes to one table in one statement (a rebuild's batch). */
async function writeRows(tx: StrataDb, table: RowTable, changes: readonly unknown[]): Promise<void> {
  if (changes.length === 0) return;
  const statement = `WITH row_changes AS (
      SELECT c.v->>'t' AS t, c.v->>'k' AS k, c.v->'v' AS v FROM jsonb_array_elements(`;
  const rest = `::jsonb) AS c(v)),
    ${rowWriteCtes([table], 'row_changes').join(',\n    ')}
    SELECT 1`;
  await tx.execute(sql`${sql.raw(statement)}${JSON.stringify(changes)}${sql.raw(rest)}`);
}
