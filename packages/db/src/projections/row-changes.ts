/** A read-model change as the pure projectors describe it: a new row, or some columns of one. */
export type RowChange<Row, Key extends keyof Row> =
  | { kind: 'insert'; row: Row }
  | ({ kind: 'update'; set: Partial<Row> } & Pick<Row, Key>);

/**
 * Folds a batch's changes onto the rows already stored (`stored`, by key) and returns each touched
 * row once, as it ends up: the batch then costs one upsert, however many events it holds. An
 * update of a row that is neither stored nor inserted earlier in the batch changes nothing.
 */
export function foldRowChanges<Row, Key extends keyof Row>(
  key: Key,
  stored: ReadonlyMap<Row[Key], Row>,
  changes: Iterable<RowChange<Row, Key>>,
): Row[] {
  const touched = new Map<Row[Key], Row>();
  for (const change of changes) {
    if (change.kind === 'insert') {
      const id = change.row[key];
      // Replaying an insert over a stored row (a retried batch) keeps what is there.
      if (!touched.has(id) && !stored.has(id)) touched.set(id, change.row);
      continue;
    }
    const id = change[key] as Row[Key];
    const current = touched.get(id) ?? stored.get(id);
    if (current) touched.set(id, { ...current, ...change.set });
  }
  return [...touched.values()];
}
