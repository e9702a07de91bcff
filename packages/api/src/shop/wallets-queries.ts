import { and, eq, type SQL, type StrataDb, wallets } from '@strata/db';
import { keysetPage } from '../read-models/list-cursor.ts';

export interface ListWalletsQuery {
  ownerId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Oldest first, by (opened_at, wallet_id): stable while wallets are opened. */
export async function listWallets(db: StrataDb, query: ListWalletsQuery) {
  const conditions: SQL[] = [];
  if (query.ownerId) conditions.push(eq(wallets.ownerId, query.ownerId));
  const paging = keysetPage(query, [wallets.openedAt, 'asc'], [wallets.walletId, 'asc']);
  const rows = await db
    .select()
    .from(wallets)
    .where(and(...conditions, paging.where))
    .orderBy(...paging.orderBy)
    .limit(paging.limit);
  return paging.page(rows, (row) => [row.openedAt, row.walletId]);
}

export async function findWalletById(db: StrataDb, walletId: string) {
  const [row] = await db.select().from(wallets).where(eq(wallets.walletId, walletId));
  return row ?? null;
}
