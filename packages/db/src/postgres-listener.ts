import postgres from 'postgres';
import type { Unlisten } from './connection.ts';

/**
 * LISTEN on a connection of its own that comes back by itself. postgres.js's `sql.listen` tries to
 * listen again once when its connection closes, and if the server is still down at that moment
 * the channel is dropped for good; here every channel is listened to again, with backoff, until
 * it succeeds. Notifications sent while no connection listened are lost, so after listening again
 * every handler is woken once to look for itself.
 */
export function createPostgresListener(url: string) {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  /** Channels LISTENed on the current connection. */
  const listening = new Set<string>();
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryMs = 200;

  const client = postgres(url, {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    connect_timeout: 5,
    fetch_types: false,
    onnotice: () => {},
    onnotify: (channel: string, payload: string) => {
      for (const handler of handlers.get(channel) ?? []) handler(payload);
    },
    onclose: () => {
      // A new connection listens to nothing: listen again (and catch up) once it is open.
      listening.clear();
      scheduleResync();
    },
    // onnotify is the option postgres.js's own listen() uses; its types leave it out.
  } as postgres.Options<Record<string, never>>);

  const quoted = (channel: string) => client.unsafe(`"${channel.replace(/"/g, '""')}"`);

  async function listenTo(channel: string) {
    await client`listen ${quoted(channel)}`;
    listening.add(channel);
  }

  function scheduleResync() {
    if (closed || retryTimer || handlers.size === 0) return;
    retryTimer = setTimeout(resync, retryMs);
  }

  async function resync() {
    retryTimer = undefined;
    const missing = [...handlers.keys()].filter((channel) => !listening.has(channel));
    try {
      for (const channel of missing) await listenTo(channel);
      retryMs = 200;
      for (const channel of missing) for (const handler of handlers.get(channel) ?? []) handler('');
    } catch {
      retryMs = Math.min(retryMs * 2, 5_000);
      scheduleResync();
    }
  }

  return {
    /** Resolves once listening; rejects when the database cannot be reached now. */
    async listen(channel: string, onNotify: (payload: string) => void): Promise<Unlisten> {
      const channelHandlers = handlers.get(channel) ?? new Set();
      handlers.set(channel, channelHandlers);
      channelHandlers.add(onNotify);
      if (!listening.has(channel)) {
        try {
          await listenTo(channel);
        } catch (error) {
          channelHandlers.delete(onNotify);
          if (channelHandlers.size === 0) handlers.delete(channel);
          throw error;
        }
      }
      return async () => {
        channelHandlers.delete(onNotify);
        if (channelHandlers.size > 0 || handlers.get(channel) !== channelHandlers) return;
        handlers.delete(channel);
        if (!listening.delete(channel)) return;
        await client`unlisten ${quoted(channel)}`.catch(() => undefined);
      };
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await client.end({ timeout: 1 });
    },
  };
}
