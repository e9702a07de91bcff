'use client';

import type { RouterOutputs } from '@strata/client';
import { hashKey, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { errorCodeOf } from '../api/errors';
import { useTRPC } from '../api/trpc';

export type SessionUser = RouterOutputs['auth']['me']['user'];

export type Session =
  | { status: 'loading' }
  /** `byUser`: they pressed "Sign out" (rather than never having signed in, or the session ending). */
  | { status: 'signed-out'; byUser: boolean }
  | { status: 'unreachable'; error: unknown; retry: () => void }
  | { status: 'signed-in'; user: SessionUser; canChange: boolean };

interface SessionContextValue {
  session: Session;
  /**
   * After auth.login / auth.bootstrapAdmin: the api has set its session cookie; this shows the
   * user as signed in and forgets the previous user's data.
   */
  signIn(user: SessionUser): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/**
 * The session is the api's HttpOnly cookie, which no script here can read (or steal): the app asks
 * the api who is signed in (`auth.session`), and asks again whenever a call is refused as
 * UNAUTHORIZED (see providers.tsx).
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessionQuery = useMemo(() => trpc.auth.session.queryOptions(undefined, { staleTime: 5 * 60_000 }), [trpc]);
  const sessionKey = sessionQuery.queryKey;
  const current = useQuery({
    ...sessionQuery,
    retry: (failures, error) => errorCodeOf(error) === null && failures < 2,
  });
  const logout = useMutation(trpc.auth.logout.mutationOptions());
  const [signedOutByUser, setSignedOutByUser] = useState(false);

  /** Shows `user` as the one signed in, after dropping everything read for whoever was before. */
  const becomes = useCallback(
    (user: SessionUser | null) => {
      queryClient.removeQueries({ predicate: (query) => query.queryHash !== hashKey(sessionKey) });
      queryClient.setQueryData(sessionKey, { user });
    },
    [queryClient, sessionKey],
  );
  const signIn = useCallback(
    (user: SessionUser) => {
      setSignedOutByUser(false);
      becomes(user);
    },
    [becomes],
  );
  const signOut = useCallback(async () => {
    try {
      await logout.mutateAsync();
    } catch {
      // Signed out here either way; an expired session cannot be ended twice.
    }
    setSignedOutByUser(true);
    becomes(null);
  }, [logout, becomes]);

  const session: Session = useMemo(() => {
    if (current.data) {
      const { user } = current.data;
      return user
        ? { status: 'signed-in', user, canChange: user.role === 'admin' }
        : { status: 'signed-out', byUser: signedOutByUser };
    }
    if (current.isError) return { status: 'unreachable', error: current.error, retry: () => void current.refetch() };
    return { status: 'loading' };
  }, [current.data, current.isError, current.error, current.refetch, signedOutByUser]);

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
