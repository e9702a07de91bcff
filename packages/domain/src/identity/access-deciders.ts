import type { Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { BootstrapEvent, LoginAttemptEvent, SessionEvent } from './events.ts';

export const bootstrapPasswordLifetimeMs = 15 * 60 * 1000;

export type BootstrapState = { current: { passwordHash: string; expiresAt: string } | null; usedBy: string | null };
export type BootstrapCommand =
  | { type: 'IssueBootstrapPassword'; passwordHash: string; now: string }
  | { type: 'UseBootstrapPassword'; userId: string; passwordMatches: boolean; now: string };

/** The first admin's one-time password: one at a time, valid once, for 15 minutes. */
export const bootstrapDecider: Decider<BootstrapCommand, BootstrapEvent, BootstrapState> = {
  streamType: 'identity-bootstrap',
  initialState: () => ({ current: null, usedBy: null }),
  evolve(state, event) {
    switch (event.type) {
      case 'BootstrapPasswordIssued':
        return { ...state, current: { passwordHash: event.data.passwordHash, expiresAt: event.data.expiresAt } };
      case 'BootstrapPasswordUsed':
        return { current: null, usedBy: event.data.userId };
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'IssueBootstrapPassword': {
        const expiresAt = new Date(Date.parse(command.now) + bootstrapPasswordLifetimeMs).toISOString();
        return [{ type: 'BootstrapPasswordIssued', data: { passwordHash: command.passwordHash, expiresAt } }];
      }
      case 'UseBootstrapPassword':
        if (!state.current || !command.passwordMatches) {
          throw new DomainError('identity.bootstrap_password_invalid', 'the one-time password is wrong or was used');
        }
        if (Date.parse(command.now) > Date.parse(state.current.expiresAt)) {
          throw new DomainError(
            'identity.bootstrap_password_expired',
            'the one-time password has expired; restart the api with --init-admin for a new one',
          );
        }
        return [{ type: 'BootstrapPasswordUsed', data: { userId: command.userId } }];
    }
  },
};

export type SessionState = { status: 'none' | 'open' | 'ended'; userId: string | null };
export type SessionCommand =
  | { type: 'StartSession'; sessionId: string; userId: string; expiresAt: string }
  | { type: 'EndSession'; reason: 'logout' | 'revoked' };

export const sessionDecider: Decider<SessionCommand, SessionEvent, SessionState> = {
  streamType: 'session',
  initialState: () => ({ status: 'none', userId: null }),
  evolve(state, event) {
    switch (event.type) {
      case 'SessionStarted':
        return { status: 'open', userId: event.data.userId };
      case 'SessionEnded':
        return { ...state, status: 'ended' };
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'StartSession': {
        const { type: _, ...data } = command;
        return [{ type: 'SessionStarted', data }];
      }
      case 'EndSession':
        return state.status === 'open' ? [{ type: 'SessionEnded', data: { reason: command.reason } }] : [];
    }
  },
};

/** How many recent failures the state keeps (it is an audit trail, not a throttle). */
const keptFailures = 5;

export type LoginAttemptsState = { recentFailures: readonly string[] };
export type LoginAttemptCommand =
  | {
      type: 'RecordLoginFailure';
      userId: string;
      email: string;
      reason: 'wrong_password' | 'deactivated';
      now: string;
    }
  | { type: 'RecordLoginSuccess'; userId: string; now: string };

/**
 * Sign-in outcomes of one existing account, for the log. It refuses nothing: a lock here would let
 * anyone lock the right person out. Throttling is the api's, in memory and the same for every
 * email (known or not), so it neither grows the log nor tells which emails exist.
 */
export const loginAttemptsDecider: Decider<LoginAttemptCommand, LoginAttemptEvent, LoginAttemptsState> = {
  streamType: 'login-attempts',
  initialState: () => ({ recentFailures: [] }),
  evolve(state, event) {
    switch (event.type) {
      case 'LoginFailed':
        return { recentFailures: [...state.recentFailures.slice(-(keptFailures - 1)), event.data.at] };
      case 'LoginSucceeded':
        return { recentFailures: [] };
    }
  },
  decide(command) {
    switch (command.type) {
      case 'RecordLoginFailure':
        return [
          {
            type: 'LoginFailed',
            data: { userId: command.userId, email: command.email, reason: command.reason, at: command.now },
          },
        ];
      case 'RecordLoginSuccess':
        return [{ type: 'LoginSucceeded', data: { userId: command.userId, at: command.now } }];
    }
  },
};
