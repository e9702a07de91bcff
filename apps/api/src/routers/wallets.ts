import { randomUUID } from 'node:crypto';
import {
  listWalletsInput,
  openWalletInput,
  shopPlans,
  topUpWalletInput,
  walletByIdInput,
  walletIdOfStream,
} from '@strata/domain';
import { TRPCError } from '@trpc/server';
import { runAs, streamPosition } from '../commands/run-as.ts';
import { findWalletById, listWallets } from '../shop/wallets-queries.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';

export const walletsRouter = router({
  open: adminProcedure.input(openWalletInput).mutation(async ({ ctx, input }) => {
    const result = await runAs(ctx, shopPlans.openWallet(randomUUID(), input.ownerId), input.commandId);
    // A retried command id answers with the first wallet, not the id made up for the retry.
    return { walletId: walletIdOfStream(result.streamId), ownerId: input.ownerId, ...streamPosition(result) };
  }),
  topUp: adminProcedure.input(topUpWalletInput).mutation(async ({ ctx, input }) => {
    const result = await runAs(
      ctx,
      shopPlans.topUpWallet(input.walletId, input.amount, input.expectedVersion),
      input.commandId,
    );
    return { walletId: input.walletId, ...streamPosition(result) };
  }),

  byId: authedProcedure.input(walletByIdInput).query(async ({ ctx, input }) => {
    await ctx.app.waitForReadModel('wallets', input.minPosition);
    const wallet = await findWalletById(ctx.app.database.db, input.walletId);
    if (!wallet) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such wallet' });
    return wallet;
  }),
  list: authedProcedure.input(listWalletsInput).query(async ({ ctx, input }) => {
    await ctx.app.waitForReadModel('wallets', input.minPosition);
    return listWallets(ctx.app.database.db, input);
  }),
});
