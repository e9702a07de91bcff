import {
  identityEvents,
  type SessionEvent,
  sessionEventDefinitions,
  sessionsProjector,
  type UserEvent,
  userEventDefinitions,
  usersProjector,
} from '@strata/domain';
import { eq } from 'drizzle-orm';
import { type SessionsTable, sessionsTable, type UsersTable, usersTable } from '../../schema/identity.ts';
import { defineProjection, projectedEventContext } from '../projection.ts';

export const usersProjection = defineProjection<{ users: UsersTable }>({
  name: 'users',
  mode: 'inline',
  eventTypes: userEventDefinitions.map((d) => d.type),
  tables: (suffix) => ({ users: usersTable(`users${suffix}`) }),
  tableNames: ['users'],
  async apply(tx, events, { users }) {
    for (const stored of events) {
      const event = identityEvents.decode(stored) as UserEvent;
      for (const change of usersProjector(event, projectedEventContext(stored))) {
        if (change.kind === 'insert') await tx.insert(users).values(change.row).onConflictDoNothing();
        else await tx.update(users).set(change.set).where(eq(users.userId, change.userId));
      }
    }
  },
});

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
