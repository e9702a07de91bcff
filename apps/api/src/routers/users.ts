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
  reactivateUserInput,
  renameUserInput,
  userAsOfInput,
  userByIdInput,
  userDecider,
  userHistoryInput,
  userStream,
} from '@strata/domain';
import { TRPCError } from '@trpc/server';
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
  rename: adminProcedure
    .input(renameUserInput)
    .mutation(async ({ ctx, input }) =>
      mutationResult(
        input.userId,
        await runAs(ctx, identityPlans.renameUser(input.userId, input.name, input.expectedVersion), input.commandId),
      ),
    ),
  changeEmail: adminProcedure
    .input(changeEmailInput)
    .mutation(async ({ ctx, input }) =>
      mutationResult(
        input.userId,
        await runAs(ctx, identityPlans.changeEmail(input.userId, input.email, input.expectedVersion), input.commandId),
      ),
    ),
  changeRole: adminProcedure
    .input(changeRoleInput)
    .mutation(async ({ ctx, input }) =>
      mutationResult(
        input.userId,
        await runAs(ctx, identityPlans.changeRole(input.userId, input.role, input.expectedVersion), input.commandId),
      ),
    ),
  deactivate: adminProcedure
    .input(deactivateUserInput)
    .mutation(async ({ ctx, input }) =>
      mutationResult(
        input.userId,
        await runAs(ctx, identityPlans.deactivateUser(input.userId, input.expectedVersion), input.commandId),
      ),
    ),
  reactivate: adminProcedure
    .input(reactivateUserInput)
    .mutation(async ({ ctx, input }) =>
      mutationResult(
        input.userId,
        await runAs(ctx, identityPlans.reactivateUser(input.userId, input.expectedVersion), input.commandId),
      ),
    ),
  changePassword: adminProcedure
    .input(changePasswordInput)
    .mutation(async ({ ctx, input }) =>
      mutationResult(
        input.userId,
        await runAs(
          ctx,
          identityPlans.changePassword(input.userId, await hashPassword(input.password), input.expectedVersion),
          input.commandId,
        ),
      ),
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
