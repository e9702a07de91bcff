import { randomUUID } from 'node:crypto';
import {
  bootstrapAdminInput,
  bootstrapDecider,
  identityPlans,
  loginInput,
  normaliseEmail,
  userDecider,
  userStream,
} from '@strata/domain';
import { TRPCError } from '@trpc/server';
import type { ApiContext } from '../context.ts';
import { loadAccountByEmail } from '../identity/accounts.ts';
import { readBootstrapState } from '../identity/bootstrap.ts';
import { hashPassword, verifyNoAccount, verifyPassword } from '../identity/passwords.ts';
import { newSessionToken } from '../identity/sessions.ts';
import { issueStreamTicket } from '../identity/stream-tickets.ts';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';
import { command, query } from './openapi-meta.ts';
import * as o from './outputs.ts';

const wrongCredentials = () => new TRPCError({ code: 'UNAUTHORIZED', message: 'wrong email or password' });

async function startSession(ctx: ApiContext, user: { userId: string }) {
  const { token, sessionId } = newSessionToken();
  const expiresAt = new Date(Date.now() + ctx.app.sessionTtlMs);
  await ctx.app.commands.run(
    identityPlans.session(sessionId, {
      type: 'StartSession',
      sessionId,
      userId: user.userId,
      expiresAt: expiresAt.toISOString(),
    }),
    { metadata: { actorId: user.userId, requestId: ctx.requestId } },
  );
  ctx.setSessionCookie(token, Math.floor(ctx.app.sessionTtlMs / 1000));
  return { token, sessionId, expiresAt };
}

/**
 * Records a failed sign-in of an existing account for the log, without waiting for it: the answer
 * then takes as long as for an email no account has (which records nothing).
 */
function recordLoginFailure(
  ctx: ApiContext,
  account: { userId: string; email: string },
  reason: 'wrong_password' | 'deactivated',
) {
  const { userId, email } = account;
  // The caller is anonymous: they did not prove to be the account's user, so it is not the actor.
  const metadata = { actorId: null, requestId: ctx.requestId };
  ctx.app.commands
    .run(
      identityPlans.loginAttempt(ctx.app.database.personalData.emailKeyOf(email), {
        type: 'RecordLoginFailure',
        userId,
        email,
        reason,
        now: new Date().toISOString(),
      }),
      {
        metadata,
      },
    )
    .catch((error: unknown) =>
      ctx.app.logger.error({ err: error, requestId: ctx.requestId }, 'recording a failed sign-in failed'),
    );
}

export const authRouter = router({
  /** Whether the first admin still has to be created (the web app's first-run screen). */
  status: publicProcedure
    .meta(query('/auth/status', 'Whether the first admin still has to be created', { public: true }))
    .output(o.authStatusOutput)
    .query(async ({ ctx }) => {
      const { adminCount } = await readBootstrapState(ctx.app);
      return { needsBootstrap: adminCount === 0 };
    }),

  bootstrapAdmin: publicProcedure
    .meta(command('/auth/bootstrap-admin', 'Create the first admin with the one-time password', { public: true }))
    .output(o.bootstrapAdminOutput)
    .input(bootstrapAdminInput)
    .mutation(async ({ ctx, input }) => {
      await ctx.signInThrottle.admitAttempt(ctx.clientAddress);
      const { bootstrap } = await readBootstrapState(ctx.app);
      let passwordMatches = false;
      if (bootstrap.current) {
        // Each guess costs an argon2 check: few per minute for everyone together. The password has
        // 72 random bits, so that many guesses never find it.
        await ctx.signInThrottle.admitBootstrapGuess();
        passwordMatches = await verifyPassword(bootstrap.current.passwordHash, input.oneTimePassword);
      }
      const userId = randomUUID();
      const otp = { passwordMatches, now: new Date().toISOString() };
      // The rule, on the state just read, before hashing the new admin's password: a wrong, used or
      // expired one-time password costs no more work. The plan decides again when it commits.
      bootstrapDecider.decide({ type: 'UseBootstrapPassword', userId, ...otp }, bootstrap);
      const result = await ctx.app.commands.run(
        identityPlans.bootstrapAdmin(
          { userId, email: input.email, name: input.name, passwordHash: await hashPassword(input.password) },
          otp,
          ctx.app.database.personalData.emailKeyOf,
        ),
        { metadata: { actorId: userId, requestId: ctx.requestId } },
      );
      const { token } = await startSession(ctx, { userId });
      const user = { userId, email: input.email, name: input.name, role: 'admin' as const };
      return { userId, token, position: result.position, user };
    }),

  /**
   * Throttled by client address (TOO_MANY_REQUESTS) and slowed per email after repeated failures,
   * never locked: the right password always gets in, if late. Known and unknown emails cost the
   * same work, and an unknown one appends nothing.
   */
  login: publicProcedure
    .meta(command('/auth/login', 'Sign in: answers the bearer token', { public: true }))
    .output(o.loginOutput)
    .input(loginInput)
    .mutation(async ({ ctx, input }) => {
      const throttle = ctx.signInThrottle;
      await throttle.admitAttempt(ctx.clientAddress);
      const email = normaliseEmail(input.email);
      await throttle.waitForTurn(email);
      const account = await loadAccountByEmail(ctx.app, email);
      const passwordMatches = account
        ? await verifyPassword(account.user.passwordHash, input.password)
        : await verifyNoAccount(input.password);
      if (!account || !passwordMatches || account.user.status !== 'active') {
        const failures = await throttle.recordFailure(email);
        // Past a few failures in the window the log has said enough; the count goes on in memory.
        if (account && failures <= throttle.limits.recordedFailuresPerAccount) {
          recordLoginFailure(
            ctx,
            { userId: account.userId, email },
            passwordMatches ? 'deactivated' : 'wrong_password',
          );
        }
        if (passwordMatches) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'this account is deactivated' });
        throw wrongCredentials();
      }
      const { userId, user } = account;
      await throttle.recordSuccess(email);
      await ctx.app.commands.run(
        identityPlans.loginAttempt(ctx.app.database.personalData.emailKeyOf(email), {
          type: 'RecordLoginSuccess',
          userId,
          now: new Date().toISOString(),
        }),
        { metadata: { actorId: userId, requestId: ctx.requestId } },
      );
      const { token, sessionId, expiresAt } = await startSession(ctx, { userId });
      // A password change or deactivation that committed after the check above but before this
      // session existed could not end it (users.ts ends the sessions it finds after committing, this
      // is the other half): look again, and end the session if the account changed meanwhile.
      const { state } = await ctx.app.commands.load(userDecider, userStream(userId));
      if (state.status !== 'active' || state.passwordHash !== user.passwordHash) {
        await ctx.app.commands.run(identityPlans.session(sessionId, { type: 'EndSession', reason: 'revoked' }), {
          metadata: { actorId: userId, requestId: ctx.requestId },
        });
        ctx.setSessionCookie(null);
        throw wrongCredentials();
      }
      return { token, expiresAt, user: { userId, email: user.email, name: user.name, role: user.role } };
    }),
  logout: authedProcedure
    .meta(command('/auth/logout', 'End this session'))
    .output(o.okOutput)
    .mutation(async ({ ctx }) => {
      await ctx.app.commands.run(
        identityPlans.session(ctx.session.sessionId, { type: 'EndSession', reason: 'logout' }),
        {
          metadata: { actorId: ctx.session.user.userId, requestId: ctx.requestId },
        },
      );
      ctx.setSessionCookie(null);
      return { ok: true };
    }),

  me: authedProcedure
    .meta(query('/auth/me', 'Who is signed in'))
    .output(o.meOutput)
    .query(({ ctx }) => ({ user: ctx.session.user })),
  /**
   * The signed-in user, or null (not an error): how a browser that holds only the HttpOnly cookie
   * learns whether it is signed in.
   */
  session: publicProcedure
    .meta(query('/auth/session', 'Who is signed in, or null', { public: true }))
    .output(o.sessionOutput)
    .query(({ ctx }) => ({ user: ctx.session?.user ?? null })),
  /** A one-time ticket for opening `events.live` (its URL is logged; the session token must not be). */
  streamTicket: authedProcedure
    .meta(command('/auth/stream-ticket', 'A one-time ticket for the live event stream (tRPC SSE)'))
    .output(o.streamTicketOutput)
    .mutation(({ ctx }) => issueStreamTicket(ctx.app.database.db, ctx.session.sessionId)),
});
