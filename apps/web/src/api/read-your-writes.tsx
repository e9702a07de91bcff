'use client';

import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { useTRPC } from './trpc';

interface ReadYourWrites {
  /**
   * The position of this browser's latest write. Read-model queries pass it as `minPosition`,
   * so the api answers only once its projection has caught up with that write.
   */
  minPosition: number | undefined;
  /** Call with a mutation's result: re-queries the read models at (or after) its position. */
  recordWrite(result: { position: number }): void;
}

const ReadYourWritesContext = createContext<ReadYourWrites | null>(null);

export function ReadYourWritesProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [minPosition, setMinPosition] = useState<number | undefined>(undefined);

  const recordWrite = useCallback(
    ({ position }: { position: number }) => {
      // Read-model queries (users, wallets, items, orders, sales, articles, search) take minPosition,
      // so their query keys change and they re-query, waiting for their projection if it is async.
      setMinPosition((current) => Math.max(current ?? 0, position));
      // History, time travel and the event log read the store itself, where the write already is.
      void queryClient.invalidateQueries(trpc.users.history.pathFilter());
      void queryClient.invalidateQueries(trpc.users.asOf.pathFilter());
      void queryClient.invalidateQueries(trpc.events.pathFilter());
      void queryClient.invalidateQueries(trpc.projections.pathFilter());
      // An admin may have changed their own name or role.
      void queryClient.invalidateQueries(trpc.auth.me.pathFilter());
    },
    [queryClient, trpc],
  );

  const value = useMemo(() => ({ minPosition, recordWrite }), [minPosition, recordWrite]);
  return <ReadYourWritesContext.Provider value={value}>{children}</ReadYourWritesContext.Provider>;
}

export function useReadYourWrites(): ReadYourWrites {
  const value = useContext(ReadYourWritesContext);
  if (!value) throw new Error('useReadYourWrites needs a <ReadYourWritesProvider>');
  return value;
}
