import {
  identityEvents,
  type SessionEvent,
  sessionEventDefinitions,
  sessionsProjector,
  type UserEvent,
  type UserRow,
  userEventDefinitions,
  usersProjector,
} from '@strata/domain';
import { eq, inArray, sql } from 'drizzle-orm';
import { type SessionsTable, sessionsTable, type UsersTable, usersTable } from '../../schema/identity.ts';
import { defineProjection, projectedEventContext } from '../projection.ts';
import { foldRowChanges } from '../row-changes.ts';

/**
 * The users list. Inline, so a query right after a mutation sees it and a session check can join
 * it. A batch folds each user's changes in memory and writes every touched row once, so a
 * rebuild costs two statements per batch, not one per event.
 */
export const usersProjection = defineProjection<{ users: UsersTable }>({
  name: 'users',
  mode: 'inline',
  eventTypes: userEventDefinitions.map((d) => d.type),
  tables: (suffix) => ({ users: usersTable(`users${suffix}`) }),
  tableNames: ['users'],
  async apply(tx, events, { users }) {
    const ids = [...new Set(events.map((e) => e.streamId.replace(/^user-/, '')))];
    const existing = await tx.select().from(users).where(inArray(users.userId, ids));
    const changes = events.flatMap((stored) =>
      usersProjector(identityEvents.decode(stored) as UserEvent, projectedEventContext(stored)),
    );
    const touched = foldRowChanges<UserRow, 'userId'>(
      'userId',
      new Map(existing.map((row) => [row.userId, row])),
      changes,
    );
    if (touched.length === 0) return;
    await tx
      .insert(users)
      .values(touched)
      .onConflictDoUpdate({
        target: users.userId,
        set: {
          email: sql`excluded.email`,
          name: sql`excluded.name`,
          role: sql`excluded.role`,
          status: sql`excluded.status`,
          version: sql`excluded.version`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  },
});

/** Sessions stay inline: a token must work the moment login returns it. */
export const sessionsProjection = defineProjection<{ sessions: SessionsTable }>({
  name: 'sessions',
  mode: 'inline',
  eventTypes: sessionEventDefinitions.map((d) => d.type),
  tables: (suffix) => ({ sessions: sessionsTable(`sessions${suffix}`) }),
  tableNames: ['sessions'],
  async apply(tx, events, { sessions }) {
    for (const stored of events) {
      const event = identityEvents.decode(stored) as SessionEvent;
      for (const change of sessionsProjector(event, projectedEventContext(stored))) {
        if (change.kind === 'insert') await tx.insert(sessions).values(change.row).onConflictDoNothing();
        else await tx.update(sessions).set({ endedAt: change.endedAt }).where(eq(sessions.sessionId, change.sessionId));
      }
    }
  },
});
