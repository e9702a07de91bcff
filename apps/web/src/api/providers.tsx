'use client';

import { createClient } from '@strata/client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { SessionProvider } from '../session/session';
import { sessionTokenStore } from '../session/token-store';
import { ToastProvider } from '../ui/toast';
import { ApiUrlContext } from './api-url';
import { apiErrorData, errorCodeOf } from './errors';
import { ReadYourWritesProvider } from './read-your-writes';
import { TRPCProvider } from './trpc';

/** A session that ends while the app is open (expired, revoked, user deactivated) signs the browser out. */
function forgetSessionOnUnauthorized(error: unknown) {
  if (errorCodeOf(error) === 'UNAUTHORIZED' && sessionTokenStore.read()) sessionTokenStore.write(null);
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: forgetSessionOnUnauthorized }),
    mutationCache: new MutationCache({ onError: forgetSessionOnUnauthorized }),
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
}

export function Providers({ apiUrl, children }: { apiUrl: string; children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() => createClient({ url: apiUrl, token: () => sessionTokenStore.read() }));
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
