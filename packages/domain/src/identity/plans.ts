import { type CommandPlan, presumedNew, streamCommand } from '../kernel/decider.ts';
import {
  bootstrapDecider,
  type LoginAttemptCommand,
  loginAttemptsDecider,
  type SessionCommand,
  sessionDecider,
} from './access-deciders.ts';
import {
  adminRegistryStream,
  bootstrapStream,
  type EmailKeyOf,
  emailClaimStream,
  loginAttemptsStream,
  sessionStream,
  userStream,
} from './events.ts';
import { adminRegistryDecider, emailClaimDecider } from './registry-deciders.ts';
import { type UserState, userDecider } from './user-decider.ts';
import { normaliseEmail, type Role } from './values.ts';

/**
 * Identity commands as plans: the user's own stream plus the registries its rules need (one
 * email per user, never zero admins). The api runs a plan in one transaction. Plans that touch an
 * email's streams get `keyOf`, which names them without the email (see {@link EmailKeyOf}).
 */
type NewUser = { userId: string; email: string; name: string; role: Role; passwordHash: string };

const adminGrant = (userId: string) =>
  streamCommand(adminRegistryDecider, adminRegistryStream, { type: 'GrantAdmin', userId });
const adminRevoke = (userId: string) =>
  streamCommand(adminRegistryDecider, adminRegistryStream, { type: 'RevokeAdmin', userId });
const emailClaim = (keyOf: EmailKeyOf, userId: string, email: string) =>
  streamCommand(emailClaimDecider, emailClaimStream(keyOf(email)), { type: 'ClaimEmail', userId, email });
const emailRelease = (keyOf: EmailKeyOf, userId: string, email: string) =>
  streamCommand(emailClaimDecider, emailClaimStream(keyOf(email)), { type: 'ReleaseEmail', userId, email });

/** Sessions that end with a change to their user (password, deactivation): the log says they ended. */
const revokeSessions = (sessionIds: readonly string[]) =>
  sessionIds.map((sessionId) =>
    streamCommand(sessionDecider, sessionStream(sessionId), { type: 'EndSession', reason: 'revoked' }),
  );

function isActiveAdmin(state: UserState): boolean {
  return state.status === 'active' && state.role === 'admin';
}

export const identityPlans = {
  createUser(user: NewUser, keyOf: EmailKeyOf): CommandPlan {
    return {
      // A new user id, and most emails are not claimed: neither stream needs loading first.
      primary: presumedNew(streamCommand(userDecider, userStream(user.userId), { type: 'CreateUser', ...user })),
      related: () => [
        presumedNew(emailClaim(keyOf, user.userId, user.email)),
        ...(user.role === 'admin' ? [adminGrant(user.userId)] : []),
      ],
    };
  },

  bootstrapAdmin(
    user: Omit<NewUser, 'role'>,
    otp: { passwordMatches: boolean; now: string },
    keyOf: EmailKeyOf,
  ): CommandPlan {
    return {
      primary: streamCommand(bootstrapDecider, bootstrapStream, {
        type: 'UseBootstrapPassword',
        userId: user.userId,
        ...otp,
      }),
      related: () => [
        streamCommand(adminRegistryDecider, adminRegistryStream, { type: 'GrantFirstAdmin', userId: user.userId }),
        streamCommand(userDecider, userStream(user.userId), { type: 'CreateUser', ...user, role: 'admin' }),
        emailClaim(keyOf, user.userId, user.email),
      ],
    };
  },

  issueBootstrapPassword(passwordHash: string, now: string): CommandPlan {
    return {
      primary: streamCommand(bootstrapDecider, bootstrapStream, { type: 'IssueBootstrapPassword', passwordHash, now }),
    };
  },

  renameUser(userId: string, name: string, expectedVersion?: number): CommandPlan {
    return { primary: streamCommand(userDecider, userStream(userId), { type: 'RenameUser', name }, expectedVersion) };
  },

  changeEmail(userId: string, email: string, keyOf: EmailKeyOf, expectedVersion?: number): CommandPlan<UserState> {
    return {
      primary: streamCommand(userDecider, userStream(userId), { type: 'ChangeEmail', email }, expectedVersion),
      related: (state) =>
        // A change of case only keeps the same claim (claims are case-insensitive).
        state.status === 'none' || normaliseEmail(state.email) === normaliseEmail(email)
          ? []
          : [emailRelease(keyOf, userId, state.email), emailClaim(keyOf, userId, email)],
    };
  },

  changeRole(userId: string, role: Role, expectedVersion?: number): CommandPlan<UserState> {
    return {
      primary: streamCommand(userDecider, userStream(userId), { type: 'ChangeRole', role }, expectedVersion),
      related: (state) => {
        if (state.status !== 'active' || state.role === role) return [];
        return [role === 'admin' ? adminGrant(userId) : adminRevoke(userId)];
      },
    };
  },

  /** Deactivates the user and ends `openSessions` (all of theirs) in the same transaction. */
  deactivateUser(
    userId: string,
    expectedVersion?: number,
    openSessions: readonly string[] = [],
  ): CommandPlan<UserState> {
    return {
      primary: streamCommand(userDecider, userStream(userId), { type: 'DeactivateUser' }, expectedVersion),
      related: (state) => [...(isActiveAdmin(state) ? [adminRevoke(userId)] : []), ...revokeSessions(openSessions)],
    };
  },

  /**
   * Reactivates the user. Sessions from before the deactivation (`openSessions`: any still open,
   * e.g. from before deactivation ended them) end with it, so old tokens never come back to life.
   */
  reactivateUser(
    userId: string,
    expectedVersion?: number,
    openSessions: readonly string[] = [],
  ): CommandPlan<UserState> {
    return {
      primary: streamCommand(userDecider, userStream(userId), { type: 'ReactivateUser' }, expectedVersion),
      related: (state) => [
        ...(state.status === 'deactivated' && state.role === 'admin' ? [adminGrant(userId)] : []),
        ...revokeSessions(openSessions),
      ],
    };
  },

  /** Changes the password and ends `otherSessions` (all the user's but the caller's own) with it. */
  changePassword(
    userId: string,
    passwordHash: string,
    expectedVersion?: number,
    otherSessions: readonly string[] = [],
  ): CommandPlan {
    return {
      primary: streamCommand(
        userDecider,
        userStream(userId),
        { type: 'ChangePassword', passwordHash },
        expectedVersion,
      ),
      related: () => revokeSessions(otherSessions),
    };
  },

  /**
   * Forgets the person: `UserForgotten` (whose append deletes their data key, erasing every
   * personal field they ever had), their email released for anyone to claim, their admin grant
   * revoked (refused for the last admin) and `openSessions` ended, all at once.
   */
  forgetUser(
    userId: string,
    keyOf: EmailKeyOf,
    expectedVersion?: number,
    openSessions: readonly string[] = [],
  ): CommandPlan<UserState> {
    return {
      primary: streamCommand(userDecider, userStream(userId), { type: 'ForgetUser' }, expectedVersion),
      related: (state) =>
        state.status === 'none' || state.status === 'forgotten'
          ? []
          : [
              ...(isActiveAdmin(state) ? [adminRevoke(userId)] : []),
              emailRelease(keyOf, userId, state.email),
              ...revokeSessions(openSessions),
            ],
    };
  },

  session(sessionId: string, command: SessionCommand): CommandPlan {
    return { primary: streamCommand(sessionDecider, sessionStream(sessionId), command) };
  },

  loginAttempt(emailKey: string, command: LoginAttemptCommand): CommandPlan {
    return { primary: streamCommand(loginAttemptsDecider, loginAttemptsStream(emailKey), command) };
  },
};
