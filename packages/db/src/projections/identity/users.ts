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
import { sessionsTable, usersTable } from '../../schema/identity.ts';
import { defineRowProjection } from '../row-projection.ts';

/** The users list. Inline, so a query right after a mutation sees it and a session check can join it. */
export const usersProjection = defineRowProjection<UserRow>({
  name: 'users',
  eventTypes: userEventDefinitions.map((d) => d.type),
  tableName: 'users',
  table: (suffix) => usersTable(`users${suffix}`),
  key: 'userId',
  changes: (event, context) =>
    usersProjector(identityEvents.decode(event) as UserEvent, context).map((change) =>
      change.kind === 'insert' ? change : { kind: 'update', key: change.userId, set: change.set },
    ),
});

interface SessionRow {
  sessionId: string;
  userId: string;
  expiresAt: Date;
  startedAt: Date;
  endedAt: Date | null;
}

/** Sessions stay inline: a token must work the moment login returns it. */
export const sessionsProjection = defineRowProjection<SessionRow>({
  name: 'sessions',
  eventTypes: sessionEventDefinitions.map((d) => d.type),
  tableName: 'sessions',
  table: (suffix) => sessionsTable(`sessions${suffix}`),
  key: 'sessionId',
  changes: (event, context) =>
    sessionsProjector(identityEvents.decode(event) as SessionEvent, context).map((change) =>
      change.kind === 'insert'
        ? { kind: 'insert', row: { ...change.row, endedAt: null } }
        : { kind: 'update', key: change.sessionId, set: { endedAt: change.endedAt } },
    ),
});
