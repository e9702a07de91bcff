import type { TRPCClientError, TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable, type Unsubscribable } from '@trpc/server/observable';
import type { EventSource } from 'eventsource';

/** How a lost subscription is opened again. */
export interface ReconnectOptions {
  /** The wait before the first new attempt (default 250 ms); it doubles with each failure in a row. */
  minDelayMs?: number | undefined;
  /** The longest wait between attempts (default 5000 ms). */
  maxDelayMs?: number | undefined;
}

/**
 * Errors worth another attempt: the api or the network is down (no code), the server failed or is
 * busy. Any other code is the server's final word — the session is over (UNAUTHORIZED, FORBIDDEN)
 * or the request itself is refused — and the same request would only be refused again.
 */
const transientCodes = new Set([
  'INTERNAL_SERVER_ERROR',
  'SERVICE_UNAVAILABLE',
  'BAD_GATEWAY',
  'GATEWAY_TIMEOUT',
  'TIMEOUT',
  'TOO_MANY_REQUESTS',
  'CLIENT_CLOSED_REQUEST',
]);

/** True when trying the same subscription again cannot help. */
export function isFinalSubscriptionError(error: TRPCClientError<AnyRouter>): boolean {
  const code = (error.data as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && !transientCodes.has(code);
}

/** A connection that lasted this long was a success: the next failure starts the backoff over. */
const stableAfterMs = 5000;

/**
 * Keeps subscriptions open across lost connections: when one fails for a reason that may pass
 * (api restart, database outage, network), it subscribes again after a capped, doubling wait, and
 * asks to continue after the last tracked event it delivered (`lastEventId`), so nothing is missed
 * and nothing repeated. Each attempt goes through the next link afresh, which asks for a new stream
 * ticket. A final error (see {@link isFinalSubscriptionError}) ends the subscription through
 * `onError`; while waiting, the caller sees the connection state `connecting` with the last error.
 */
export function reconnectingLink<TRouter extends AnyRouter>(options: ReconnectOptions = {}): TRPCLink<TRouter> {
  const minDelayMs = options.minDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  return () =>
    ({ op, next }) => {
      if (op.type !== 'subscription') return next(op);
      return observable((observer) => {
        let lastEventId: string | undefined;
        let failures = 0;
        let closed = false;
        let current: Unsubscribable | undefined;
        let retryTimer: ReturnType<typeof setTimeout> | undefined;

        const attempt = () => {
          if (closed) return;
          let connectedAt: number | undefined;
          const input = lastEventId === undefined ? op.input : withLastEventId(op.input, lastEventId);
          current = next({ ...op, input }).subscribe({
            next(envelope) {
              const result = envelope.result;
              if ('type' in result && result.type === 'started') connectedAt = Date.now();
              if ((!('type' in result) || result.type === 'data') && 'id' in result && result.id != null) {
                // Recorded before the caller sees it: the caller has it once this returns.
                lastEventId = String(result.id);
                failures = 0;
              }
              observer.next(envelope);
            },
            error(error) {
              if (closed) return;
              if (isFinalSubscriptionError(error)) {
                observer.error(error);
                return;
              }
              if (connectedAt !== undefined && Date.now() - connectedAt >= stableAfterMs) failures = 0;
              const delayMs = Math.min(maxDelayMs, minDelayMs * 2 ** failures);
              failures++;
              observer.next({ result: { type: 'state', state: 'connecting', error } });
              // Spread out, so clients cut off together do not all come back at the same moment.
              retryTimer = setTimeout(attempt, delayMs * (0.8 + Math.random() * 0.4));
            },
            complete() {
              observer.complete();
            },
          });
        };
        attempt();

        return () => {
          closed = true;
          clearTimeout(retryTimer);
          current?.unsubscribe();
        };
      });
    };
}

/** The input with `lastEventId` set, as tRPC's own resumption sends it. */
function withLastEventId(input: unknown, lastEventId: string): unknown {
  if (input != null && typeof input !== 'object') return input;
  return { ...(input ?? {}), lastEventId };
}

/**
 * The EventSource class, made to close on its first error instead of reconnecting by itself: its
 * own reconnection would send the same URL again, whose one-time ticket is spent. Closing ends
 * tRPC's stream with an error, and
 * {@link reconnectingLink} opens a new one with a new ticket.
 */
export function closingOnError(Base: typeof EventSource): typeof EventSource {
  return class OneConnectionEventSource extends Base {
    constructor(...args: ConstructorParameters<typeof EventSource>) {
      super(...args);
      // Added before tRPC's listener, which sees CLOSED and ends its stream.
      this.addEventListener('error', () => {
        this.close();
        // The polyfill arms its reconnection timer after the listeners ran; closing again clears it.
        queueMicrotask(() => this.close());
      });
    }
  };
}
