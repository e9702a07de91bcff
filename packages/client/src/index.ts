import type { AppRouter } from '@strata/api';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClient } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import { closingOnError, type ReconnectOptions, reconnectingLink } from './reconnecting-link.ts';

/** The limits the api enforces, for checking input before sending it (the api stays the judge). */
export { articleLimits, shopLimits } from '@strata/domain/limits';
export type { AppRouter };
/** Input types of every procedure, e.g. `RouterInputs['users']['create']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Output types of every procedure, e.g. `RouterOutputs['users']['list']['items'][number]`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export interface ClientOptions {
  /** The api's base URL, e.g. `http://localhost:4000`. */
  url: string;
  /** The bearer token `auth.login` returned; a function is asked on every call. */
  token?: string | (() => string | undefined | null) | undefined;
  /** Send cookies (browsers using the session cookie instead of a token). */
  withCredentials?: boolean;
  /**
   * Waits between attempts to reopen a lost subscription. Subscriptions (`events.live`) survive
   * api restarts, database outages and network loss, resuming after the last event delivered; they
   * end, through `onError`, only when the session does (UNAUTHORIZED, FORBIDDEN) or the request is
   * refused. One started without `afterPosition` that is lost before its first event starts again
   * from the moment it reconnects: there is no position yet to resume after.
   */
  reconnect?: ReconnectOptions | undefined;
}

/** How long asking for a stream ticket may take before the attempt counts as failed. */
const ticketTimeoutMs = 10_000;

/**
 * The typed Strata client for queries, mutations and subscriptions; works in Node scripts and
 * browsers. Errors are `TRPCClientError`s whose `data` carries `code`, `fieldErrors`,
 * `domainCode` and `conflict`.
 */
export function createClient(options: ClientOptions): StrataClient {
  const base = `${options.url.replace(/\/$/, '')}/trpc`;
  const tokenOf = () => (typeof options.token === 'function' ? options.token() : options.token) ?? undefined;
  const credentials = options.withCredentials ? ('include' as const) : undefined;
  const requestLink = httpBatchLink({
    url: base,
    transformer: superjson,
    headers: () => {
      const token = tokenOf();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    ...(credentials ? { fetch: (url, init) => fetch(url, { ...init, credentials }) } : {}),
  });
  // Asks for stream tickets with the same credentials as every other call.
  const tickets = createTRPCClient<AppRouter>({ links: [requestLink] });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: [
          // A lost stream is opened again after the last event delivered, until the session ends.
          reconnectingLink(options.reconnect),
          httpSubscriptionLink({
            url: base,
            transformer: superjson,
            // Node has no global EventSource (before 22); browsers have their own. Either reconnects
            // by itself with the same URL, so it closes instead and the link above reconnects.
            EventSource: closingOnError((globalThis.EventSource ?? EventSource) as typeof EventSource),
            // An EventSource cannot send headers, so its credentials go in the URL, where proxies log
            // them: a one-time ticket asked for each connection, never the session token.
            connectionParams: async () => {
              if (!tokenOf() && !credentials) return {};
              // An api that does not answer (a network that drops packets) counts as down: try again.
              const { ticket } = await tickets.auth.streamTicket.mutate(undefined, {
                signal: AbortSignal.timeout(ticketTimeoutMs),
              });
              return { ticket };
            },
            eventSourceOptions: () => ({ withCredentials: options.withCredentials ?? false }),
          }),
        ],
        false: requestLink,
      }),
    ],
  });
}

/** The typed client `createClient` returns: `strata.users.create.mutate(…)`, `strata.users.list.query(…)`. */
export type StrataClient = TRPCClient<AppRouter>;
export { isTRPCClientError, TRPCClientError } from '@trpc/client';
export { isFinalSubscriptionError, type ReconnectOptions } from './reconnecting-link.ts';
