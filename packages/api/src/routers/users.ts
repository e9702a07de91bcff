import { randomUUID } from 'node:crypto';
import { aggregateStream, readStream } from '@strata/db';
import {
  changeEmailInput,
  changePasswordInput,
  changeRoleInput,
  createUserInput,
  deactivateUserInput,
  forgetUserInput,
  identityEvents,
  identityPlans,
  listUsersInput,
  type Plan,
  reactivateUserInput,
  renameUserInput,
  userAsOfInput,
  userByIdInput,
  userDecider,
  userHistoryInput,
  userIdOfStream,
  userStream,
} from '@strata/domain';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { toEventViews } from '../events/event-view.ts';
import { hashPassword } from '../identity/passwords.ts';
import { openSessionIdsOf } from '../identity/sessions.ts';
import { findUserById, listUsers } from '../identity/users-queries.ts';
import { type AuthedContext, adminProcedure, authedProcedure, router, runAs, streamPosition } from '../trpc.ts';
import { command, query } from './openapi-meta.ts';
import * as o from './outputs.ts';

const mutationResult = (userId: string, r: { streamId: string; version: number; position: number }) => ({
  userId,
  ...streamPosition(r),
});

const notFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'no such user' });

/** How a change ends the user's open sessions. */
interface SessionEnding {
  /** The caller's own session stays (someone changing their own password stays signed in there). */
  keepCallers: boolean;
  /**
   * Whether the change makes a sign-in in progress stale (password, deactivation): then sessions
   * that start while it commits are ended too.
   */
  sweepAfterCommit: boolean;
}

/** Ends these sessions, each as its own command (an ended one is left as it is). */
async function revokeSessions(ctx: AuthedContext, sessionIds: readonly string[]) {
  for (const sessionId of sessionIds) {
    await runAs(ctx, identityPlans.session(sessionId, { type: 'EndSession', reason: 'revoked' }));
  }
}

/**
 * An admin's change to an existing user: the plan its input asks for, run as the caller. A change
 * that ends sessions gets the user's open ones to end in its own transaction.
 */
function userChange<Schema extends z.ZodType<{ userId: string; commandId?: string | undefined }>, State>(
  openapi: { path: `/users/${string}`; summary: string },
  schema: Schema,
  plan: (
    input: z.output<Schema>,
    sessionsToEnd: readonly string[],
    ctx: AuthedContext,
  ) => Plan<State> | Promise<Plan<State>>,
  ends?: SessionEnding,
) {
  return adminProcedure
    .meta(command(openapi.path, openapi.summary))
    .output(o.userMutationOutput)
    .input(schema)
    .mutation(async ({ ctx, input }) => {
      // tRPC cannot tell that a generic schema's input is set; it is, and parsed.
      const change = input as z.output<Schema>;
      if (!ends) return mutationResult(change.userId, await runAs(ctx, await plan(change, [], ctx), change.commandId));
      const db = ctx.app.database.db;
      const keep = ends.keepCallers && ctx.session.user.userId === change.userId ? ctx.session.sessionId : undefined;
      const result = await runAs(
        ctx,
        await plan(change, await openSessionIdsOf(db, change.userId, keep), ctx),
        change.commandId,
      );
      // A sign-in that checked the old state may have started its session after the list above was
      // read: end whatever is open now (auth.login looks again after starting one, the other half).
      if (ends.sweepAfterCommit) await revokeSessions(ctx, await openSessionIdsOf(db, change.userId, keep));
      return mutationResult(change.userId, result);
    });
}

export const usersRouter = router({
  create: adminProcedure
    .meta(command('/users/create', 'Create a user'))
    .output(o.userMutationOutput)
    .input(createUserInput)
    .mutation(async ({ ctx, input }) => {
      const userId = randomUUID();
      const result = await runAs(
        ctx,
        identityPlans.createUser(
          {
            userId,
            email: input.email,
            name: input.name,
            role: input.role,
            passwordHash: await hashPassword(input.password),
          },
          ctx.app.database.personalData.emailKeyOf,
        ),
        input.commandId,
      );
      // A retried command id returns the first user's id, not the one made up for the retry.
      return mutationResult(userIdOfStream(result.streamId), result);
    }),
  rename: userChange({ path: '/users/rename', summary: 'Rename a user' }, renameUserInput, (input) =>
    identityPlans.renameUser(input.userId, input.name, input.expectedVersion),
  ),
  changeEmail: userChange(
    { path: '/users/change-email', summary: "Change a user's email" },
    changeEmailInput,
    (input, _, ctx) =>
      identityPlans.changeEmail(
        input.userId,
        input.email,
        ctx.app.database.personalData.emailKeyOf,
        input.expectedVersion,
      ),
  ),
  changeRole: userChange({ path: '/users/change-role', summary: "Change a user's role" }, changeRoleInput, (input) =>
    identityPlans.changeRole(input.userId, input.role, input.expectedVersion),
  ),
  deactivate: userChange(
    { path: '/users/deactivate', summary: 'Deactivate a user (ends their sessions)' },

    deactivateUserInput,
    (input, sessions) => identityPlans.deactivateUser(input.userId, input.expectedVersion, sessions),
    { keepCallers: false, sweepAfterCommit: true },
  ),
  // Sessions from before the deactivation stay ended: old tokens never come back to life.
  reactivate: userChange(
    { path: '/users/reactivate', summary: 'Reactivate a user' },

    reactivateUserInput,
    (input, sessions) => identityPlans.reactivateUser(input.userId, input.expectedVersion, sessions),
    { keepCallers: false, sweepAfterCommit: false },
  ),
  changePassword: userChange(
    { path: '/users/change-password', summary: "Change a user's password (ends their other sessions)" },

    changePasswordInput,
    async (input, sessions) =>
      identityPlans.changePassword(input.userId, await hashPassword(input.password), input.expectedVersion, sessions),
    { keepCallers: true, sweepAfterCommit: true },
  ),
  // Erases the person's name, email and password hash from every event for good (their data key
  // is deleted with the event that says so); what happened, when and by whom stays.
  forget: userChange(
    { path: '/users/forget', summary: 'Forget a person: erase their personal data for good (ends their sessions)' },
    forgetUserInput,
    (input, sessions, ctx) =>
      identityPlans.forgetUser(input.userId, ctx.app.database.personalData.emailKeyOf, input.expectedVersion, sessions),
    { keepCallers: false, sweepAfterCommit: true },
  ),

  list: authedProcedure
    .meta(query('/users/list', 'Users, filtered, a page at a time'))
    .output(o.userPage)
    .input(listUsersInput)
    .query(async ({ ctx, input }) => {
      await ctx.app.waitForReadModel('users', input.minPosition);
      return listUsers(ctx.app.database.db, input);
    }),
  byId: authedProcedure
    .meta(query('/users/by-id', 'One user'))
    .output(o.userRow)
    .input(userByIdInput)
    .query(async ({ ctx, input }) => {
      await ctx.app.waitForReadModel('users', input.minPosition);
      const user = await findUserById(ctx.app.database.db, input.userId);
      if (!user) throw notFound();
      return user;
    }),
  history: authedProcedure
    .meta(query('/users/history', "A user's events, oldest first"))
    .output(o.eventViews)
    .input(userHistoryInput)
    .query(async ({ ctx, input }) => {
      const events = await readStream(ctx.app.database.db, userStream(input.userId));
      if (events.length === 0) throw notFound();
      return toEventViews(ctx.app.database.db, ctx.app.catalog, events, ctx.session.user);
    }),
  asOf: authedProcedure
    .meta(query('/users/as-of', 'A user as they were at a version or a time'))
    .output(o.userAsOfOutput)
    .input(userAsOfInput)
    .query(async ({ ctx, input }) => {
      const { state, version } = await aggregateStream(ctx.app.database.db, userStream(input.userId), {
        initialState: userDecider.initialState,
        evolve: (s, e) => userDecider.evolve(s, identityEvents.decode(e) as never),
        toVersion: input.version,
        at: input.at,
      });
      if (state.status === 'none') {
        if (version === 0 && !(await findUserById(ctx.app.database.db, input.userId))) throw notFound();
        return { exists: false as const, version };
      }
      const { passwordHash: _, ...user } = state;
      return { exists: true as const, version, user };
    }),
});
