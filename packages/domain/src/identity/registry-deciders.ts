import type { Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { AdminRegistryEvent, EmailClaimEvent } from './events.ts';

export type EmailClaimState = { ownerId: string | null };
export type EmailClaimCommand =
  | { type: 'ClaimEmail'; userId: string; email: string }
  | { type: 'ReleaseEmail'; userId: string; email: string };

/** One stream per normalised address: two users can never hold one email, even at once. */
export const emailClaimDecider: Decider<EmailClaimCommand, EmailClaimEvent, EmailClaimState> = {
  streamType: 'user-email',
  initialState: () => ({ ownerId: null }),
  evolve(state, event) {
    switch (event.type) {
      case 'EmailClaimed':
        return { ownerId: event.data.userId };
      case 'EmailReleased':
        return state.ownerId === event.data.userId ? { ownerId: null } : state;
    }
  },
  decide(command, state) {
    const data = { userId: command.userId, email: command.email };
    switch (command.type) {
      case 'ClaimEmail':
        if (state.ownerId === command.userId) return [];
        if (state.ownerId !== null) {
          throw new DomainError('user.email_taken', 'another user already has this email', { field: 'email' });
        }
        return [{ type: 'EmailClaimed', data }];
      case 'ReleaseEmail':
        return state.ownerId === command.userId ? [{ type: 'EmailReleased', data }] : [];
    }
  },
};

export type AdminRegistryState = { activeAdmins: readonly string[] };
export type AdminRegistryCommand =
  | { type: 'GrantAdmin'; userId: string }
  | { type: 'GrantFirstAdmin'; userId: string }
  | { type: 'RevokeAdmin'; userId: string };

/** The set of active admins; revoking the last one is refused. */
export const adminRegistryDecider: Decider<AdminRegistryCommand, AdminRegistryEvent, AdminRegistryState> = {
  streamType: 'admin-registry',
  initialState: () => ({ activeAdmins: [] }),
  evolve(state, event) {
    switch (event.type) {
      case 'AdminGranted':
        return state.activeAdmins.includes(event.data.userId)
          ? state
          : { activeAdmins: [...state.activeAdmins, event.data.userId] };
      case 'AdminRevoked':
        return { activeAdmins: state.activeAdmins.filter((id) => id !== event.data.userId) };
    }
  },
  decide(command, state) {
    const isAdmin = state.activeAdmins.includes(command.userId);
    switch (command.type) {
      case 'GrantFirstAdmin':
        if (state.activeAdmins.length > 0) {
          throw new DomainError('identity.already_bootstrapped', 'an admin already exists; sign in instead');
        }
        return [{ type: 'AdminGranted', data: { userId: command.userId } }];
      case 'GrantAdmin':
        return isAdmin ? [] : [{ type: 'AdminGranted', data: { userId: command.userId } }];
      case 'RevokeAdmin':
        if (!isAdmin) return [];
        if (state.activeAdmins.length === 1) {
          throw new DomainError('user.last_admin', 'the last active admin can be neither demoted nor deactivated');
        }
        return [{ type: 'AdminRevoked', data: { userId: command.userId } }];
    }
  },
};
