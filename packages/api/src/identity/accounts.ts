import { emailClaimDecider, emailClaimStream, type UserState, userDecider, userStream } from '@strata/domain';
import type { App } from '../app.ts';

/**
 * The user an email belongs to, read from the event streams themselves (the email's claim, then
 * the user), not from a read model: sign-in must work the moment a user is created.
 */
export async function loadAccountByEmail(
  app: App,
  email: string,
): Promise<{ userId: string; user: Exclude<UserState, { status: 'none' }> } | null> {
  const claim = await app.commands.load(emailClaimDecider, emailClaimStream(email));
  if (!claim.state.ownerId) return null;
  const { state } = await app.commands.load(userDecider, userStream(claim.state.ownerId));
  return state.status === 'none' ? null : { userId: claim.state.ownerId, user: state };
}
