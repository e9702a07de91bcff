import { randomUUID } from 'node:crypto';
import { aggregateStream, readStream } from '@strata/db';
import {
  changeEmailInput,
  changePasswordInput,
  changeRoleInput,
  createUserInput,
  deactivateUserInput,
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
  userStream,
} from '@strata/domain';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { runAs, streamPosition } from '../commands/run-as.ts';
import { toEventViews } from '../events/event-view.ts';
import { hashPassword } from '../identity/passwords.ts';
import { findUserById, listUsers } from '../identity/users-queries.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';

const mutationResult = (userId: string, r: { streamId: string; version: number; position: number }) => ({
  userId,
  ...streamPosition(r),
});

const notFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'no such user' });

/** An admin's change to an existing user: the plan its input asks for, run as the caller. */
function userChange<Schema extends z.ZodType<{ userId: string; commandId?: string | undefined }>, State>(
  schema: Schema,
  plan: (input: z.output<Schema>) => Plan<State> | Promise<Plan<State>>,
) {
  return adminProcedure.input(schema).mutation(async ({ ctx, input }) => {
    // tRPC cannot tell that a generic schema's input is set; it is, and parsed.
    const change = input as z.output<Schema>;
    return mutationResult(change.userId, await runAs(ctx, await plan(change), change.commandId));
  });
}

export const usersRouter = router({
  create: adminProcedure.input(createUserInput).mutation(async ({ ctx, input }) => {
    const userId = randomUUID();
    const result = await runAs(
      ctx,
      identityPlans.createUser({
        userId,
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash: await hashPassword(input.password),
      }),
      input.commandId,
    );
    // A retried command id returns the first user's id, not the one made up for the retry.
    return mutationResult(result.streamId.replace(/^user-/, ''), result);
  }),
  rename: userChange(renameUserInput, (input) =>
    identityPlans.renameUser(input.userId, input.name, input.expectedVersion),
  ),
  changeEmail: userChange(changeEmailInput, (input) =>
    identityPlans.changeEmail(input.userId, input.email, input.expectedVersion),
  ),
  changeRole: userChange(changeRoleInput, (input) =>
    identityPlans.changeRole(input.userId, input.role, input.expectedVersion),
  ),
  deactivate: userChange(deactivateUserInput, (input) =>
    identityPlans.deactivateUser(input.userId, input.expectedVersion),
  ),
  reactivate: userChange(reactivateUserInput, (input) =>
    identityPlans.reactivateUser(input.userId, input.expectedVersion),
  ),
  changePassword: userChange(changePasswordInput, async (input) =>
    identityPlans.changePassword(input.userId, await hashPassword(input.password), input.expectedVersion),
  ),

  list: authedProcedure.input(listUsersInput).query(async ({ ctx, input }) => {
    await ctx.app.waitForReadModel('users', input.minPosition);
    return listUsers(ctx.app.database.db, input);
  }),
  byId: authedProcedure.input(userByIdInput).query(async ({ ctx, input }) => {
    await ctx.app.waitForReadModel('users', input.minPosition);
    const user = await findUserById(ctx.app.database.db, input.userId);
    if (!user) throw notFound();
    return user;
  }),
  history: authedProcedure.input(userHistoryInput).query(async ({ ctx, input }) => {
    const events = await readStream(ctx.app.database.db, userStream(input.userId));
    if (events.length === 0) throw notFound();
    return toEventViews(ctx.app.database.db, ctx.app.catalog, events);
  }),
  asOf: authedProcedure.input(userAsOfInput).query(async ({ ctx, input }) => {
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
