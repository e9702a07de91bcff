import { randomUUID } from 'node:crypto';
import { waitFor } from '@strata/db/testing';
import { createTRPCClient, httpSubscriptionLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import { expect, it } from 'vitest';
import type { AppRouter, RouterOutputs, StrataClient } from '../src/index.ts';
import { describeOnEachEngine, type TestApi, useTestApi } from './harness.ts';

type LiveEvent = RouterOutputs['events']['list']['items'][number];

/** Collects `events.live` deliveries until unsubscribed. */
function listen(client: StrataClient, input: { afterPosition?: number; type?: string }) {
  const received: LiveEvent[] = [];
  const errors: unknown[] = [];
  const subscription = client.events.live.subscribe(input, {
    onData: (envelope) => {
      received.push(envelope.data);
    },
    onError: (error) => errors.push(error),
  });
  return { received, errors, stop: () => subscription.unsubscribe() };
}

describeOnEachEngine('live events over SSE', (engine) => {
  let api: TestApi;
  let admin: StrataClient;
  let adminToken: string;
  useTestApi(engine, {}, (suite) => ({ api, root: admin, rootToken: adminToken } = suite));
  const createUser = () =>
    admin.users.create.mutate({
      email: `${randomUUID().slice(0, 8)}@example.com`,
      name: 'Live',
      role: 'viewer',
      password: 'password-123',
    });

  it('refuses anonymous subscribers', async () => {
    const anonymous = listen(api.client(), {});
    await waitFor(() => anonymous.errors.length > 0, 'an error');
    anonymous.stop();
    expect(String(anonymous.errors[0])).toMatch(/sign in/i);
  });

  it('opens a stream with a one-time ticket, and never with the session token in its URL', async () => {
    // A client that puts what it is given into the stream's URL, as the SDK did before tickets.
    const streamWith = (connectionParams: Record<string, string>) =>
      createTRPCClient<AppRouter>({
        links: [
          httpSubscriptionLink({ url: `${api.url}/trpc`, transformer: superjson, EventSource, connectionParams }),
        ],
      });
    const withToken = listen(streamWith({ token: adminToken }), {});
    await waitFor(() => withToken.errors.length > 0, 'the token to be refused');
    withToken.stop();
    expect(String(withToken.errors[0])).toMatch(/sign in/i);

    const { ticket, expiresAt } = await admin.auth.streamTicket.mutate();
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    const once = listen(streamWith({ ticket }), {});
    await new Promise((resolve) => setTimeout(resolve, 200));
    await createUser();
    await waitFor(() => once.received.length > 0, 'an event through the ticket');
    once.stop();
    expect(once.errors).toEqual([]);

    const again = listen(streamWith({ ticket }), {});
    await waitFor(() => again.errors.length > 0, 'a used ticket to be refused');
    again.stop();
    expect(String(again.errors[0])).toMatch(/sign in/i);
  });

  it('delivers history then live events in order; a subscriber that disconnects and resumes misses nothing and sees nothing twice', async () => {
    const start = (await admin.system.health.query()).headPosition;
    const first = listen(admin, { afterPosition: start });
    for (let i = 0; i < 3; i++) await createUser();
    const head1 = (await admin.system.health.query()).headPosition;
    await waitFor(() => first.received.at(-1)?.position === head1, 'the first batch');
    first.stop();
    const lastSeen = first.received.at(-1)?.position ?? start;

    // While nobody listens, more happens.
    for (let i = 0; i < 3; i++) await createUser();
    const resumed = listen(admin, { afterPosition: lastSeen });
    for (let i = 0; i < 2; i++) await createUser();
    const head2 = (await admin.system.health.query()).headPosition;
    await waitFor(() => resumed.received.at(-1)?.position === head2, 'the resumed stream');
    resumed.stop();

    const seen = [...first.received, ...resumed.received].map((e) => e.position);
    const all = await admin.events.list.query({ afterPosition: start, limit: 500 });
    expect(seen).toEqual(all.items.map((e) => e.position));
    expect(new Set(seen).size).toBe(seen.length);
    expect(JSON.stringify([...first.received, ...resumed.received])).not.toMatch(/argon2/);
  });

  it('filters on the server', async () => {
    const start = (await admin.system.health.query()).headPosition;
    const created = listen(admin, { afterPosition: start, type: 'UserCreated' });
    await createUser();
    await createUser();
    await waitFor(() => created.received.length === 2, 'two UserCreated events');
    created.stop();
    expect(created.received.every((e) => e.type === 'UserCreated')).toBe(true);
  });
});
