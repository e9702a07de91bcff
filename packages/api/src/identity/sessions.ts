import { hash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, ne, type StrataDb, sessions, users } from '@strata/db';
import type { Role } from '@strata/domain';

export interface SessionUser {
  userId: string;
  email: string;
  name: string;
  role: Role;
}
export interface Session {
  sessionId: string;
  user: SessionUser;
}

/** A bearer token: 256 random bits. Only its SHA-256 (the session id) is ever stored. */
export function newSessionToken(): { token: string; sessionId: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, sessionId: sessionIdOf(token) };
}

/** Whether a string has the shape of a token {@link newSessionToken} made (anything else is not looked up). */
export const isSessionTokenShaped = (value: string) => /^[A-Za-z0-9_-]{43}$/.test(value);

export function sessionIdOf(token: string): string {
  // One-shot: every authenticated call hashes its token (no Hash object to build and drop).
  return hash('sha256', token, 'hex');
}

/** The open, unexpired session of an active user that this token names, if any. */
export function findSession(db: StrataDb, token: string): Promise<Session | null> {
  return findSessionById(db, sessionIdOf(token));
}

/** The open, unexpired session of an active user with this id, if any. */
export async function findSessionById(db: StrataDb, sessionId: string): Promise<Session | null> {
  const [row] = await db
    .select({ userId: users.userId, email: users.email, name: users.name, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.userId, sessions.userId))
    .where(
      and(
        eq(sessions.sessionId, sessionId),
        isNull(sessions.endedAt),
        gt(sessions.expiresAt, new Date()),
        eq(users.status, 'active'),
      ),
    );
  return row ? { sessionId, user: row } : null;
}

/**
 * The ids of a user's sessions that are still open (unexpired, not ended), but `except` (the
 * caller's own): the sessions a password change or a deactivation ends.
 */
export async function openSessionIdsOf(db: StrataDb, userId: string, except?: string): Promise<string[]> {
  const rows = await db
    .select({ sessionId: sessions.sessionId })
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.endedAt),
        gt(sessions.expiresAt, new Date()),
        except ? ne(sessions.sessionId, except) : undefined,
      ),
    );
  return rows.map((row) => row.sessionId);
}
