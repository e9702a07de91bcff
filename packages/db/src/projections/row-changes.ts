/**
 * A read-model change as a row projection describes it: a new row, or some columns of the row
 * with `key`. Neither needs the stored row, so the database can apply it without a read first.
 */
export type RowChange<Row> = { kind: 'insert'; row: Row } | { kind: 'update'; key: unknown; set: Partial<Row> };

/** A batch's changes, one per row: rows to insert, and partial rows (key included) to update. */
export interface MergedRowChanges<Row> {
  inserts: Row[];
  updates: Partial<Row>[];
}

/**
 * Merges a batch's changes into one write per row, in event order: an insert followed by updates
 * becomes one insert with them applied, consecutive updates become one. A row's insert is its
 * stream's first event, so an insert meeting a row already written (a replay) leaves it alone.
 */
export function mergeRowChanges<Row>(
  key: keyof Row & string,
  changes: Iterable<RowChange<Row>>,
): MergedRowChanges<Row> {
  const inserts = new Map<unknown, Row>();
  const updates = new Map<unknown, Partial<Row>>();
  for (const change of changes) {
    if (change.kind === 'insert') {
      const id = change.row[key];
      if (!inserts.has(id) && !updates.has(id)) inserts.set(id, { ...change.row });
      continue;
    }
    const inserted = inserts.get(change.key);
    if (inserted) {
      Object.assign(inserted as object, change.set);
      continue;
    }
    const update = updates.get(change.key) ?? ({ [key]: change.key } as Partial<Row>);
    updates.set(change.key, Object.assign(update, change.set, { [key]: change.key }));
  }
  return { inserts: [...inserts.values()], updates: [...updates.values()] };
}
