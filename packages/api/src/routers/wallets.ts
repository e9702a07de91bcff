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
import { findWalletById, listWallets } from '../shop/wallets-queries.ts';
import { adminProcedure, authedProcedure, router, runAs, streamPosition } from '../trpc.ts';
import { command, query } from './openapi-meta.ts';
import * as o from './outputs.ts';

export const walletsRouter = router({
  open: adminProcedure
    .meta(command('/wallets/open', 'Open a wallet'))
    .output(o.walletOpenOutput)
    .input(openWalletInput)
    .mutation(async ({ ctx, input }) => {
      const result = await runAs(ctx, shopPlans.openWallet(randomUUID(), input.ownerId), input.commandId);
      // A retried command id answers with the first wallet, not the id made up for the retry.
      return { walletId: walletIdOfStream(result.streamId), ownerId: input.ownerId, ...streamPosition(result) };
    }),
  topUp: adminProcedure
    .meta(command('/wallets/top-up', 'Add money to a wallet'))
    .output(o.walletMutationOutput)
    .input(topUpWalletInput)
    .mutation(async ({ ctx, input }) => {
      const result = await runAs(
        ctx,
        shopPlans.topUpWallet(input.walletId, input.amount, input.expectedVersion),
        input.commandId,
      );
      return { walletId: input.walletId, ...streamPosition(result) };
    }),

  byId: authedProcedure
    .meta(query('/wallets/by-id', 'One wallet'))
    .output(o.walletRow)
    .input(walletByIdInput)
    .query(async ({ ctx, input }) => {
      await ctx.app.waitForReadModel('wallets', input.minPosition);
      const wallet = await findWalletById(ctx.app.database.db, input.walletId);
      if (!wallet) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such wallet' });
      return wallet;
    }),
  list: authedProcedure
    .meta(query('/wallets/list', 'Wallets, a page at a time'))
    .output(o.walletPage)
    .input(listWalletsInput)
    .query(async ({ ctx, input }) => {
      await ctx.app.waitForReadModel('wallets', input.minPosition);
      return listWallets(ctx.app.database.db, input);
    }),
});
