'use client';

import { type AppRouter, createClient } from '@strata/client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { type ReactNode, useState } from 'react';
import { SessionProvider } from '../session/session';
import { ToastProvider } from '../ui/toast';
import { ApiUrlContext } from './api-url';
import { apiErrorData, errorCodeOf } from './errors';
import { ReadYourWritesProvider } from './read-your-writes';
import { TRPCProvider } from './trpc';

/**
 * The api client and the query cache. Calls carry the api's HttpOnly session cookie (no token is
 * kept where a script could read it). A call refused as UNAUTHORIZED means the session ended
 * (expired, revoked, user deactivated): the app asks the api who is signed in, and the frame then
 * sends the user to sign in.
 */
function makeClients(apiUrl: string) {
  const trpcClient = createClient({ url: apiUrl, withCredentials: true });
  const askWhoIsSignedIn = (error: unknown) => {
    if (errorCodeOf(error) === 'UNAUTHORIZED') void queryClient.invalidateQueries(trpc.auth.session.pathFilter());
  };
  const queryClient = new QueryClient({
    queryCache: new QueryCache({ onError: askWhoIsSignedIn }),
    mutationCache: new MutationCache({ onError: askWhoIsSignedIn }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: false,
        // Network trouble is retried; an answer from the api (4xx) is not.
        retry: (failures, error) => apiErrorData(error) === null && failures < 2,
      },
      mutations: { retry: false },
    },
  });
  const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
  return { trpcClient, queryClient };
}

export function Providers({ apiUrl, children }: { apiUrl: string; children: ReactNode }) {
  const [{ trpcClient, queryClient }] = useState(() => makeClients(apiUrl));
  return (
    <ApiUrlContext.Provider value={apiUrl}>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <SessionProvider>
            <ReadYourWritesProvider>
              <ToastProvider>{children}</ToastProvider>
            </ReadYourWritesProvider>
          </SessionProvider>
        </TRPCProvider>
      </QueryClientProvider>
    </ApiUrlContext.Provider>
  );
}
