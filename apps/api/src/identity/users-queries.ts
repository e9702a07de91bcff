import { type StrataDb, users } from '@strata/db';
import type { Role, UserStatus } from '@strata/domain';
import { and, asc, eq, gt, ilike, or, type SQL } from 'drizzle-orm';
import { cursorPart, decodeCursor, encodeCursor, pageOf } from '../read-models/list-cursor.ts';

export interface ListUsersQuery {
  search?: string | undefined;
  role?: Role | undefined;
  status?: UserStatus | undefined;
  cursor?: string | undefined;
  limit: number;
}

export async function listUsers(db: StrataDb, query: ListUsersQuery) {
  const conditions: SQL[] = [];
  if (query.search) {
    const pattern = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(users.name, pattern), ilike(users.email, pattern)) as SQL);
  }
  if (query.role) conditions.push(eq(users.role, query.role));
  if (query.status) conditions.push(eq(users.status, query.status));
  // Keyset pagination over (created_at, user_id): stable while users are added.
  const after = decodeCursor(query.cursor, cursorPart.isoTime, cursorPart.key);
  if (after) {
    const [createdAt, userId] = after;
    conditions.push(
      or(gt(users.createdAt, createdAt), and(eq(users.createdAt, createdAt), gt(users.userId, userId))) as SQL,
    );
  }
  const rows = await db
    .select()
    .from(users)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(users.createdAt), asc(users.userId))
    .limit(query.limit + 1);
  return pageOf(rows, query.limit, (row) => encodeCursor(row.createdAt.toISOString(), row.userId));
}

export async function findUserById(db: StrataDb, userId: string) {
  const [row] = await db.select().from(users).where(eq(users.userId, userId));
  return row ?? null;
}
