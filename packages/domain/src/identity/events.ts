import { z } from 'zod';
import { defineEvent, type EventOf, eventCatalog } from '../kernel/events.ts';
import { idInStream } from '../kernel/streams.ts';
import { emailSchema, roleSchema, userNameSchema } from './values.ts';

// The identity context's streams (where its events go), then its events.
/**
 * The key an email's streams are named by: a keyed hash of the normalised address (HMAC with a
 * server secret, computed outside the domain), so no stream id, index or log line holds an email.
 */
export type EmailKeyOf = (email: string) => string;

export const userStream = (userId: string) => `user-${userId}`;
/** The claim stream of an email, by its key (see {@link EmailKeyOf}). */
export const emailClaimStream = (emailKey: string) => `user-email-${emailKey}`;
export const adminRegistryStream = 'identity-admins';
export const bootstrapStream = 'identity-bootstrap';
export const sessionStream = (sessionId: string) => `session-${sessionId}`;
/** The sign-in attempts of an email, by its key (see {@link EmailKeyOf}). */
export const loginAttemptsStream = (emailKey: string) => `login-${emailKey}`;

/** The user id in a `userStream` name. */
export const userIdOfStream = (streamId: string) => idInStream('user-', streamId);
/** The session id in a `sessionStream` name. */
export const sessionIdOfStream = (streamId: string) => idInStream('session-', streamId);

const passwordHash = z.string().min(1);

/*
 * Personal fields (a person's name, email and password hash) are sealed under the data key of the
 * user's stream; `UserForgotten` deletes that key, which erases them from every event at once.
 */
export const UserCreated = defineEvent(
  'UserCreated',
  z.object({ userId: z.string(), email: emailSchema, name: userNameSchema, role: roleSchema, passwordHash }),
  { secretFields: ['passwordHash'], personalFields: ['email', 'name', 'passwordHash'] },
);
export const UserRenamed = defineEvent('UserRenamed', z.object({ name: userNameSchema }), {
  personalFields: ['name'],
});
export const UserEmailChanged = defineEvent('UserEmailChanged', z.object({ email: emailSchema }), {
  personalFields: ['email'],
});
export const UserRoleChanged = defineEvent('UserRoleChanged', z.object({ role: roleSchema }));
export const UserDeactivated = defineEvent('UserDeactivated', z.object({}));
export const UserReactivated = defineEvent('UserReactivated', z.object({}));
export const UserPasswordChanged = defineEvent('UserPasswordChanged', z.object({ passwordHash }), {
  secretFields: ['passwordHash'],
  personalFields: ['passwordHash'],
});
/** The person is forgotten: carries nothing personal, and its append deletes their data key. */
export const UserForgotten = defineEvent('UserForgotten', z.object({}), { forgetsSubject: true });

export const userEventDefinitions = [
  UserCreated,
  UserRenamed,
  UserEmailChanged,
  UserRoleChanged,
  UserDeactivated,
  UserReactivated,
  UserPasswordChanged,
  UserForgotten,
] as const;
export type UserEvent = EventOf<typeof userEventDefinitions>;

/** The claim's email is the claiming user's personal data. */
const claimOptions = {
  personalFields: ['email'],
  personalSubject: (data: { userId: string }) => userStream(data.userId),
} as const;
/** An email address is owned by at most one user: a stream per address serialises claims. */
export const EmailClaimed = defineEvent(
  'EmailClaimed',
  z.object({ userId: z.string(), email: z.string() }),
  claimOptions,
);
export const EmailReleased = defineEvent(
  'EmailReleased',
  z.object({ userId: z.string(), email: z.string() }),
  claimOptions,
);
export const emailClaimEventDefinitions = [EmailClaimed, EmailReleased] as const;
export type EmailClaimEvent = EventOf<typeof emailClaimEventDefinitions>;

/** The active admins, in one stream so "never zero admins" holds under concurrency. */
export const AdminGranted = defineEvent('AdminGranted', z.object({ userId: z.string() }));
export const AdminRevoked = defineEvent('AdminRevoked', z.object({ userId: z.string() }));
export const adminRegistryEventDefinitions = [AdminGranted, AdminRevoked] as const;
export type AdminRegistryEvent = EventOf<typeof adminRegistryEventDefinitions>;

export const BootstrapPasswordIssued = defineEvent(
  'BootstrapPasswordIssued',
  z.object({ passwordHash, expiresAt: z.iso.datetime() }),
  { secretFields: ['passwordHash'] },
);
export const BootstrapPasswordUsed = defineEvent('BootstrapPasswordUsed', z.object({ userId: z.string() }));
export const bootstrapEventDefinitions = [BootstrapPasswordIssued, BootstrapPasswordUsed] as const;
export type BootstrapEvent = EventOf<typeof bootstrapEventDefinitions>;

export const SessionStarted = defineEvent(
  'SessionStarted',
  z.object({ sessionId: z.string(), userId: z.string(), expiresAt: z.iso.datetime() }),
);
export const SessionEnded = defineEvent('SessionEnded', z.object({ reason: z.enum(['logout', 'revoked']) }));
export const sessionEventDefinitions = [SessionStarted, SessionEnded] as const;
export type SessionEvent = EventOf<typeof sessionEventDefinitions>;

/**
 * The email tried is the account holder's personal data (attempts are recorded for existing
 * accounts only). `userId` is missing only on events recorded before it was added, which the
 * one-time migration sealed under the attempts stream's own key.
 */
export const LoginFailed = defineEvent(
  'LoginFailed',
  z.object({
    userId: z.string().optional(),
    email: z.string(),
    reason: z.enum(['unknown_email', 'wrong_password', 'deactivated']),
    at: z.iso.datetime(),
  }),
  {
    personalFields: ['email'],
    personalSubject: (data, streamId) => (data.userId ? userStream(data.userId) : streamId),
  },
);
export const LoginSucceeded = defineEvent('LoginSucceeded', z.object({ userId: z.string(), at: z.iso.datetime() }));
export const loginAttemptEventDefinitions = [LoginFailed, LoginSucceeded] as const;
export type LoginAttemptEvent = EventOf<typeof loginAttemptEventDefinitions>;

export const identityEvents = eventCatalog([
  ...userEventDefinitions,
  ...emailClaimEventDefinitions,
  ...adminRegistryEventDefinitions,
  ...bootstrapEventDefinitions,
  ...sessionEventDefinitions,
  ...loginAttemptEventDefinitions,
] as const);
export type IdentityEvent =
  | UserEvent
  | EmailClaimEvent
  | AdminRegistryEvent
  | BootstrapEvent
  | SessionEvent
  | LoginAttemptEvent;
