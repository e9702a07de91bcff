'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTRPC } from '../../api/trpc';
import { displayName } from '../../ui/erased';

/**
 * The shop's limits as the api enforces them. The web app checks them first only to say so in
 * major units; the api stays the judge.
 */
export { shopLimits } from '@strata/client';

/** SKUs as the api stores them: trimmed, upper-case. */
export const normaliseSku = (sku: string) => sku.trim().toUpperCase();
export const skuPattern = /^[A-Z0-9][A-Z0-9-]{0,63}$/i;

/** Wallet owners are user ids or outside references: names for the ids that are users. */
export function useOwnerNames() {
  const trpc = useTRPC();
  const users = useQuery({ ...trpc.users.list.queryOptions({ limit: 100 }), staleTime: 60_000 });
  const names = useMemo(
    () => new Map(users.data?.items.map((user) => [user.userId, displayName(user.name)]) ?? []),
    [users.data],
  );
  // A forgotten person can own no new wallet: only the people who still exist are offered.
  const owners = useMemo(() => users.data?.items.filter((user) => user.status !== 'forgotten') ?? [], [users.data]);
  return { names, users: owners };
}

/** "Dana Scully", or the outside reference itself. */
export function ownerLabel(ownerId: string, names: Map<string, string>): string {
  return names.get(ownerId) ?? ownerId;
}
