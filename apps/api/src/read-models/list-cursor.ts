/**
 * Keyset pagination: a cursor is the sort key of the last row a page showed, opaque to clients.
 * A cursor that does not decode to `parts` values of the expected kinds starts from the top.
 */
export function encodeCursor(...parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor<const Kinds extends readonly ('string' | 'number')[]>(
  cursor: string | undefined,
  ...kinds: Kinds
): { [K in keyof Kinds]: Kinds[K] extends 'number' ? number : string } | null {
  if (!cursor) return null;
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parts) || parts.length !== kinds.length) return null;
    if (!parts.every((part, i) => typeof part === kinds[i] && (typeof part !== 'number' || Number.isFinite(part)))) {
      return null;
    }
    return parts as { [K in keyof Kinds]: Kinds[K] extends 'number' ? number : string };
  } catch {
    return null;
  }
}

/** The page and the cursor after it, from `limit + 1` rows. */
export function pageOf<Row>(rows: Row[], limit: number, cursorOf: (row: Row) => string) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}
