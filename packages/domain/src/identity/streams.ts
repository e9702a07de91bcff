import { idInStream } from '../kernel/streams.ts';
import { normaliseEmail } from './values.ts';

export const userStream = (userId: string) => `user-${userId}`;
export const emailClaimStream = (email: string) => `user-email-${normaliseEmail(email)}`;
export const adminRegistryStream = 'identity-admins';
export const bootstrapStream = 'identity-bootstrap';
export const sessionStream = (sessionId: string) => `session-${sessionId}`;
export const loginAttemptsStream = (email: string) => `login-${normaliseEmail(email)}`;

/** The user id in a `userStream` name. */
export const userIdOfStream = (streamId: string) => idInStream('user-', streamId);
/** The session id in a `sessionStream` name. */
export const sessionIdOfStream = (streamId: string) => idInStream('session-', streamId);
