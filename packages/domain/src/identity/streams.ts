import { idInStream } from '../kernel/streams.ts';

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
