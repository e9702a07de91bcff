import { randomUUID } from 'node:crypto';
import { bootstrapAdminInput, identityPlans, loginInput, normaliseEmail } from '@strata/domain';
import { TRPCError } from '@trpc/server';
import type { ApiContext } from '../context.ts';
import { loadAccountByEmail } from '../identity/accounts.ts';
import { readBootstrapState } from '../identity/bootstrap.ts';
import { hashPassword, verifyPassword } from '../identity/passwords.ts';
import { newSessionToken } from '../identity/sessions.ts';
import { issueStreamTicket } from '../identity/stream-tickets.ts';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';

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
  return { token, expiresAt };
}

export const authRouter = router({
  /** Whether the first admin still has to be created (the web app's first-run screen). */
  status: publicProcedure.query(async ({ ctx }) => {
    const { adminCount } = await readBootstrapState(ctx.app);
    return { needsBootstrap: adminCount === 0 };
  }),

  bootstrapAdmin: publicProcedure.input(bootstrapAdminInput).mutation(async ({ ctx, input }) => {
    const { bootstrap } = await readBootstrapState(ctx.app);
    const passwordMatches = bootstrap.current
      ? await verifyPassword(bootstrap.current.passwordHash, input.oneTimePassword)
      : false;
    const userId = randomUUID();
    const result = await ctx.app.commands.run(
      identityPlans.bootstrapAdmin(
        { userId, email: input.email, name: input.name, passwordHash: await hashPassword(input.password) },
        { passwordMatches, now: new Date().toISOString() },
      ),
      { metadata: { actorId: userId, requestId: ctx.requestId } },
    );
    const { token } = await startSession(ctx, { userId });
    return { userId, token, position: result.position };
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const now = () => new Date().toISOString();
    const email = normaliseEmail(input.email);
    const meta = { metadata: { actorId: null, requestId: ctx.requestId } };
    // Throttled before the password is even checked, so guessing costs nothing but time.
    await ctx.app.commands.run(identityPlans.loginAttempt(email, { type: 'CheckLoginAllowed', now: now() }), meta);
    const fail = async (reason: 'unknown_email' | 'wrong_password' | 'deactivated', actorId: string | null) => {
      await ctx.app.commands.run(
        identityPlans.loginAttempt(email, { type: 'RecordLoginFailure', email, reason, now: now() }),
        {
          metadata: { actorId, requestId: ctx.requestId },
        },
      );
    };
    const account = await loadAccountByEmail(ctx.app, email);
    if (!account) {
      await fail('unknown_email', null);
      throw wrongCredentials();
    }
    const { userId, user } = account;
    if (!(await verifyPassword(user.passwordHash, input.password))) {
      await fail('wrong_password', userId);
      throw wrongCredentials();
    }
    if (user.status !== 'active') {
      await fail('deactivated', userId);
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'this account is deactivated' });
    }
    await ctx.app.commands.run(identityPlans.loginAttempt(email, { type: 'RecordLoginSuccess', userId, now: now() }), {
      metadata: { actorId: userId, requestId: ctx.requestId },
    });
    const { token, expiresAt } = await startSession(ctx, { userId });
    return { token, expiresAt, user: { userId, email: user.email, name: user.name, role: user.role } };
  }),
  logout: authedProcedure.mutation(async ({ ctx }) => {
    await ctx.app.commands.run(identityPlans.session(ctx.session.sessionId, { type: 'EndSession', reason: 'logout' }), {
      metadata: { actorId: ctx.session.user.userId, requestId: ctx.requestId },
    });
    ctx.setSessionCookie(null);
    return { ok: true };
  }),

  me: authedProcedure.query(({ ctx }) => ({ user: ctx.session.user })),
  /** A one-time ticket for opening `events.live` (its URL is logged; the session token must not be). */
  streamTicket: authedProcedure.mutation(({ ctx }) => issueStreamTicket(ctx.app.database.db, ctx.session.sessionId)),
});
