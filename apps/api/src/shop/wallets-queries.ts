import { type StrataDb, wallets } from '@strata/db';
import { and, asc, eq, gt, or, type SQL } from 'drizzle-orm';
import { cursorPart, decodeCursor, encodeCursor, pageOf } from '../read-models/list-cursor.ts';

export interface ListWalletsQuery {
  ownerId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Oldest first, by (opened_at, wallet_id): stable while wallets are opened. */
export async function listWallets(db: StrataDb, query: ListWalletsQuery) {
  const conditions: SQL[] = [];
  if (query.ownerId) conditions.push(eq(wallets.ownerId, query.ownerId));
  const after = decodeCursor(query.cursor, cursorPart.epochMs, cursorPart.key);
  if (after) {
    const [openedAt, walletId] = after;
    conditions.push(
      or(gt(wallets.openedAt, openedAt), and(eq(wallets.openedAt, openedAt), gt(wallets.walletId, walletId))) as SQL,
    );
  }
  const rows = await db
    .select()
    .from(wallets)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(wallets.openedAt), asc(wallets.walletId))
    .limit(query.limit + 1);
  return pageOf(rows, query.limit, (row) => encodeCursor(row.openedAt.getTime(), row.walletId));
}

export async function findWalletById(db: StrataDb, walletId: string) {
  const [row] = await db.select().from(wallets).where(eq(wallets.walletId, walletId));
  return row ?? null;
}
