'use client';

import type { RouterOutputs } from '@strata/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from 'react';
import { errorCodeOf } from '../api/errors';
import { useTRPC } from '../api/trpc';
import { sessionTokenStore } from './token-store';

export type SessionUser = RouterOutputs['auth']['me']['user'];

export type Session =
  | { status: 'loading' }
  /** `byUser`: they pressed "Sign out" (rather than never having signed in, or the session ending). */
  | { status: 'signed-out'; byUser: boolean }
  | { status: 'unreachable'; error: unknown; retry: () => void }
  | { status: 'signed-in'; user: SessionUser; canChange: boolean };

interface SessionContextValue {
  session: Session;
  /** Stores the token from auth.login / auth.bootstrapAdmin and forgets the previous user's data. */
  signIn(token: string): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const token = useSyncExternalStore(
    sessionTokenStore.subscribe,
    sessionTokenStore.read,
    sessionTokenStore.readOnServer,
  );
  const me = useQuery({
    ...trpc.auth.me.queryOptions(undefined, { staleTime: 5 * 60_000 }),
    enabled: Boolean(token),
    retry: (failures, error) => errorCodeOf(error) === null && failures < 2,
  });
  const logout = useMutation(trpc.auth.logout.mutationOptions());
  const [signedOutByUser, setSignedOutByUser] = useState(false);

  const meUnauthorized = me.isError && errorCodeOf(me.error) === 'UNAUTHORIZED';
  useEffect(() => {
    // The token expired or was revoked: forget it, the frame then sends the user to sign in.
    if (meUnauthorized) sessionTokenStore.write(null);
  }, [meUnauthorized]);

  const signIn = useCallback(
    (next: string) => {
      queryClient.clear();
      setSignedOutByUser(false);
      sessionTokenStore.write(next);
    },
    [queryClient],
  );
  const signOut = useCallback(async () => {
    try {
      await logout.mutateAsync();
    } catch {
      // Signed out locally either way; an expired session cannot be ended twice.
    }
    setSignedOutByUser(true);
    sessionTokenStore.write(null);
    queryClient.clear();
  }, [logout, queryClient]);

  const session: Session = useMemo(() => {
    if (token === undefined) return { status: 'loading' };
    if (token === null || meUnauthorized) return { status: 'signed-out', byUser: signedOutByUser };
    if (me.data) return { status: 'signed-in', user: me.data.user, canChange: me.data.user.role === 'admin' };
    if (me.isError) return { status: 'unreachable', error: me.error, retry: () => void me.refetch() };
    return { status: 'loading' };
  }, [token, meUnauthorized, signedOutByUser, me.data, me.isError, me.error, me.refetch]);

  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession needs a <SessionProvider>');
  return value;
}

/** The signed-in user; only for pages inside the signed-in frame. */
export function useSignedInUser() {
  const { session } = useSession();
  if (session.status !== 'signed-in') throw new Error('useSignedInUser outside the signed-in frame');
  return session;
}
