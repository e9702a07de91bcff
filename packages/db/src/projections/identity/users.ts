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
    const touched = new Map<string, UserRow>();
    const ids = [...new Set(events.map((e) => e.streamId.replace(/^user-/, '')))];
    const existing = await tx.select().from(users).where(inArray(users.userId, ids));
    const known = new Map(existing.map((row) => [row.userId, row as UserRow]));
    for (const stored of events) {
      const event = identityEvents.decode(stored) as UserEvent;
      for (const change of usersProjector(event, projectedEventContext(stored))) {
        if (change.kind === 'insert') {
          if (!known.has(change.row.userId)) touched.set(change.row.userId, change.row);
          known.set(change.row.userId, known.get(change.row.userId) ?? change.row);
          continue;
        }
        const current = touched.get(change.userId) ?? known.get(change.userId);
        // An update only ever follows its user's creation, which is applied first.
        if (current) touched.set(change.userId, { ...current, ...change.set });
      }
    }
    if (touched.size === 0) return;
    await tx
      .insert(users)
      .values([...touched.values()])
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
