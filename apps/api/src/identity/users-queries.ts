import { type StrataDb, users } from '@strata/db';
import type { Role, UserStatus } from '@strata/domain';
import { and, asc, eq, gt, ilike, or, type SQL } from 'drizzle-orm';

export interface ListUsersQuery {
  search?: string | undefined;
  role?: Role | undefined;
  status?: UserStatus | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Keyset pagination over (created_at, user_id): stable while users are added. */
function decodeCursor(cursor: string): { createdAt: Date; userId: string } | null {
  const [time, userId] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(time ?? '');
  return userId && !Number.isNaN(createdAt.getTime()) ? { createdAt, userId } : null;
}
const encodeCursor = (row: { createdAt: Date; userId: string }) =>
  Buffer.from(`${row.createdAt.toISOString()}|${row.userId}`).toString('base64url');

export async function listUsers(db: StrataDb, query: ListUsersQuery) {
  const conditions: SQL[] = [];
  if (query.search) {
    const pattern = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(users.name, pattern), ilike(users.email, pattern)) as SQL);
  }
  if (query.role) conditions.push(eq(users.role, query.role));
  if (query.status) conditions.push(eq(users.status, query.status));
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    if (after) {
      conditions.push(
        or(
          gt(users.createdAt, after.createdAt),
          and(eq(users.createdAt, after.createdAt), gt(users.userId, after.userId)),
        ) as SQL,
      );
    }
  }
  const rows = await db
    .select()
    .from(users)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(users.createdAt), asc(users.userId))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}

export async function findUserById(db: StrataDb, userId: string) {
  const [row] = await db.select().from(users).where(eq(users.userId, userId));
  return row ?? null;
}
