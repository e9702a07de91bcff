import { emailClaimDecider, emailClaimStream, type UserState, userDecider, userStream } from '@strata/domain';
import type { App } from '../app.ts';

/**
 * The user an email belongs to, read from the event streams themselves (the email's claim, then
 * the user), not from a read model: sign-in must work the moment a user is created.
 */
export async function loadAccountByEmail(
  app: App,
  email: string,
): Promise<{ userId: string; user: Exclude<UserState, { status: 'none' | 'forgotten' }> } | null> {
  const claim = await app.commands.load(
    emailClaimDecider,
    emailClaimStream(app.database.personalData.emailKeyOf(email)),
  );
  if (!claim.state.ownerId) return null;
  const { state } = await app.commands.load(userDecider, userStream(claim.state.ownerId));
  // A forgotten person released their email with it; nobody signs in as them.
  return state.status === 'none' || state.status === 'forgotten' ? null : { userId: claim.state.ownerId, user: state };
}
