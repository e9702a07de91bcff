import type { Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import { ERASED } from '../kernel/events.ts';
import type { UserEvent } from './events.ts';
import type { Role, UserStatus } from './values.ts';

export type UserState =
  | { status: 'none' }
  | { status: UserStatus; userId: string; email: string; name: string; role: Role; passwordHash: string };

export type UserCommand =
  | { type: 'CreateUser'; userId: string; email: string; name: string; role: Role; passwordHash: string }
  | { type: 'RenameUser'; name: string }
  | { type: 'ChangeEmail'; email: string }
  | { type: 'ChangeRole'; role: Role }
  | { type: 'DeactivateUser' }
  | { type: 'ReactivateUser' }
  | { type: 'ChangePassword'; passwordHash: string }
  | { type: 'ForgetUser' };

type ExistingUser = Exclude<UserState, { status: 'none' }>;

function existing(state: UserState): ExistingUser {
  if (state.status === 'none') throw new DomainError('user.not_found', 'no such user');
  if (state.status === 'forgotten') throw new DomainError('user.forgotten', 'this person was forgotten');
  return state;
}

export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  streamType: 'user',
  // 2: `forgotten` and erased fields.
  stateVersion: 2,
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    if (event.type === 'UserCreated') return { status: 'active', ...event.data };
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'UserRenamed':
        return { ...state, name: event.data.name };
      case 'UserEmailChanged':
        return { ...state, email: event.data.email };
      case 'UserRoleChanged':
        return { ...state, role: event.data.role };
      case 'UserDeactivated':
        return { ...state, status: 'deactivated' };
      case 'UserReactivated':
        return { ...state, status: 'active' };
      case 'UserPasswordChanged':
        return { ...state, passwordHash: event.data.passwordHash };
      case 'UserForgotten':
        return { ...state, status: 'forgotten', email: ERASED, name: ERASED, passwordHash: ERASED };
    }
  },

  decide(command, state) {
    if (command.type === 'CreateUser') {
      if (state.status !== 'none') throw new DomainError('user.already_exists', 'this user already exists');
      const { type: _, ...data } = command;
      return [{ type: 'UserCreated', data }];
    }
    const user = existing(state);
    switch (command.type) {
      case 'RenameUser':
        return user.name === command.name ? [] : [{ type: 'UserRenamed', data: { name: command.name } }];
      case 'ChangeEmail':
        return user.email === command.email ? [] : [{ type: 'UserEmailChanged', data: { email: command.email } }];
      case 'ChangeRole':
        return user.role === command.role ? [] : [{ type: 'UserRoleChanged', data: { role: command.role } }];
      case 'DeactivateUser':
        if (user.status === 'deactivated')
          throw new DomainError('user.already_deactivated', 'user is already deactivated');
        return [{ type: 'UserDeactivated', data: {} }];
      case 'ReactivateUser':
        if (user.status === 'active') throw new DomainError('user.already_active', 'user is already active');
        return [{ type: 'UserReactivated', data: {} }];
      case 'ChangePassword':
        return [{ type: 'UserPasswordChanged', data: { passwordHash: command.passwordHash } }];
      case 'ForgetUser':
        return [{ type: 'UserForgotten', data: {} }];
    }
  },
};
