import type { AppRouter, RouterInputs, RouterOutputs } from '@strata/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';

/** `useTRPC()` gives typed queryOptions/mutationOptions for every procedure of the api. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export type UserRow = RouterOutputs['users']['list']['items'][number];
export type UserHistoryEvent = RouterOutputs['users']['history'][number];
export type EventView = RouterOutputs['events']['list']['items'][number];
export type EventFilters = Pick<
  RouterInputs['events']['list'],
  'type' | 'streamType' | 'streamId' | 'actorId' | 'from' | 'to'
>;
export type Role = UserRow['role'];

export type ProjectionStatus = RouterOutputs['projections']['status'][number];

export type WalletRow = RouterOutputs['wallets']['list']['items'][number];
export type ItemRow = RouterOutputs['inventory']['list']['items'][number];
export type OrderRow = RouterOutputs['orders']['list']['items'][number];
export type SalesRow = RouterOutputs['inventory']['sales']['items'][number];
export type PlacedOrder = RouterOutputs['orders']['place'];

export type ArticleRow = RouterOutputs['articles']['list']['items'][number];
export type Article = RouterOutputs['articles']['byId'];
export type ArticleStatus = ArticleRow['status'];
export type ArticleSearchHit = RouterOutputs['articles']['search']['items'][number];
