import { ERASED } from '../kernel/events.ts';
import type { Projector, RowEventContext } from '../kernel/projector.ts';
import type { SessionEvent, UserEvent } from './events.ts';
import { sessionIdOfStream, userIdOfStream } from './events.ts';
import type { Role, UserStatus } from './values.ts';

/** A row of the users read model. */
export interface UserRow {
  userId: string;
  email: string;
  name: string;
  role: Role;
  status: UserStatus;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type UserRowChange =
  | { kind: 'insert'; row: UserRow }
  | {
      kind: 'update';
      userId: string;
      set: Partial<Omit<UserRow, 'userId' | 'createdAt'>> & { version: number; updatedAt: Date };
    };

/** Users read model: every user event bumps the row's version, so a list shows what to expect. */
export const usersProjector: Projector<UserEvent, UserRowChange, RowEventContext> = (event, context) => {
  const touched = { version: context.version, updatedAt: context.recordedAt };
  const userId = userIdOfStream(context.streamId);
  switch (event.type) {
    case 'UserCreated': {
      const { passwordHash: _, ...data } = event.data;
      return [{ kind: 'insert', row: { ...data, status: 'active', ...touched, createdAt: context.recordedAt } }];
    }
    case 'UserRenamed':
      return [{ kind: 'update', userId, set: { name: event.data.name, ...touched } }];
    case 'UserEmailChanged':
      return [{ kind: 'update', userId, set: { email: event.data.email, ...touched } }];
    case 'UserRoleChanged':
      return [{ kind: 'update', userId, set: { role: event.data.role, ...touched } }];
    case 'UserDeactivated':
      return [{ kind: 'update', userId, set: { status: 'deactivated', ...touched } }];
    case 'UserReactivated':
      return [{ kind: 'update', userId, set: { status: 'active', ...touched } }];
    case 'UserPasswordChanged':
      return [{ kind: 'update', userId, set: touched }];
    case 'UserForgotten':
      return [{ kind: 'update', userId, set: { status: 'forgotten', name: ERASED, email: ERASED, ...touched } }];
  }
};

export type SessionRowChange =
  | { kind: 'insert'; row: { sessionId: string; userId: string; expiresAt: Date; startedAt: Date } }
  | { kind: 'end'; sessionId: string; endedAt: Date };

/** Sessions read model: what the api checks a bearer token or cookie against. */
export const sessionsProjector: Projector<SessionEvent, SessionRowChange, RowEventContext> = (event, context) => {
  switch (event.type) {
    case 'SessionStarted':
      return [
        {
          kind: 'insert',
          row: {
            sessionId: event.data.sessionId,
            userId: event.data.userId,
            expiresAt: new Date(event.data.expiresAt),
            startedAt: context.recordedAt,
          },
        },
      ];
    case 'SessionEnded':
      return [{ kind: 'end', sessionId: sessionIdOfStream(context.streamId), endedAt: context.recordedAt }];
  }
};
