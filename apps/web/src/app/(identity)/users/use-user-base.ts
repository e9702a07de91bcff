'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useReadYourWrites } from '../../../api/read-your-writes';
import { type UserRow, useTRPC } from '../../../api/trpc';

/**
 * The version a dialog's changes are based on: the row it opened with, and after a conflict,
 * the user as the api has it now.
 */
export function useUserBase(user: UserRow) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { minPosition } = useReadYourWrites();
  const [base, setBase] = useState(user);
  const [reloading, setReloading] = useState(false);
  const reload = async (): Promise<UserRow | null> => {
    setReloading(true);
    try {
      const fresh = await queryClient.fetchQuery({
        ...trpc.users.byId.queryOptions({ userId: user.userId, minPosition }),
        staleTime: 0,
      });
      setBase(fresh);
      void queryClient.invalidateQueries(trpc.users.list.pathFilter());
      return fresh;
    } catch {
      return null;
    } finally {
      setReloading(false);
    }
  };
  return { base, setBase, reload, reloading };
}
