import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Read-model tables are made by factories so a rebuild can fill a fresh copy (same columns,
 * another name) while the live one keeps serving reads.
 */
export function usersTable(name = 'users') {
  return pgTable(
    name,
    {
      userId: text('user_id').primaryKey(),
      email: text('email').notNull(),
      name: text('name').notNull(),
      role: text('role', { enum: ['admin', 'viewer'] }).notNull(),
      status: text('status', { enum: ['active', 'deactivated', 'forgotten'] }).notNull(),
      version: integer('version').notNull(),
      createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
      updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
    },
    (t) => [
      index(`${name}_email_idx`).on(sql`lower(${t.email})`),
      index(`${name}_created_idx`).on(t.createdAt, t.userId),
    ],
  );
}
export const users = usersTable();
export type UsersTable = ReturnType<typeof usersTable>;

export function sessionsTable(name = 'sessions') {
  return pgTable(
    name,
    {
      sessionId: text('session_id').primaryKey(),
      userId: text('user_id').notNull(),
      startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
      expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
      endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
    },
    (t) => [index(`${name}_user_idx`).on(t.userId)],
  );
}
export const sessions = sessionsTable();
export type SessionsTable = ReturnType<typeof sessionsTable>;
