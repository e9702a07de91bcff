import { and, eq, ilike, or, type SQL, type StrataDb, users } from '@strata/db';
import type { Role, UserStatus } from '@strata/domain';
import { containing } from '../read-models/like-pattern.ts';
import { keysetPage } from '../read-models/list-cursor.ts';

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
    const pattern = containing(query.search);
    conditions.push(or(ilike(users.name, pattern), ilike(users.email, pattern)) as SQL);
  }
  if (query.role) conditions.push(eq(users.role, query.role));
  if (query.status) conditions.push(eq(users.status, query.status));
  // By (created_at, user_id): stable while users are added.
  const paging = keysetPage(query, [users.createdAt, 'asc'], [users.userId, 'asc']);
  const rows = await db
    .select()
    .from(users)
    .where(and(...conditions, paging.where))
    .orderBy(...paging.orderBy)
    .limit(paging.limit);
  return paging.page(rows, (row) => [row.createdAt, row.userId]);
}

export async function findUserById(db: StrataDb, userId: string) {
  const [row] = await db.select().from(users).where(eq(users.userId, userId));
  return row ?? null;
}
