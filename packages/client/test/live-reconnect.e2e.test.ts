import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp } from '@strata/api';
import { appendToStreams, checkpointAt, type Database, headPosition, readAll } from '@strata/db';
import { waitFor } from '@strata/db/testing';
import { domainEvents, UserRenamed } from '@strata/domain';
import { createLogger, startApiServer } from '@strata/server';
import { afterEach, expect, it } from 'vitest';
import { type AppRouter, createClient, type StrataClient, type TRPCClientError } from '../src/index.ts';
import { describeOnEachEngine, type TestApi, useTestApi } from './harness.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one `events.live` subscriber is given: positions in delivery order, errors, (re)connections. */
function listen(client: StrataClient, input: { afterPosition?: number; type?: string }) {
  const positions: number[] = [];
  const errors: TRPCClientError<AppRouter>[] = [];
  let starts = 0;
  const subscription = client.events.live.subscribe(input, {
    onStarted: () => {
      starts++;
    },
    onData: (envelope) => {
      positions.push(envelope.data.position);
    },
    onError: (error) => errors.push(error as TRPCClientError<AppRouter>),
  });
  return {
    positions,
    errors,
    get starts() {
      return starts;
    },
    stop: () => subscription.unsubscribe(),
  };
}

/**
 * Appends one small event after another straight into the store, whatever the api is doing, until
 * stopped. A failed append (a terminated connection) is simply tried again: the check compares the
 * subscriber with the log itself, not with what was acknowledged.
 */
function keepAppending(database: Database) {
  let running = true;
  let appended = 0;
  const done = (async () => {
    while (running) {
      try {
        await appendToStreams(database.db, {
          streams: [
            {
              streamId: `user-live-${appended % 7}`,
              streamType: 'user',
              expectedVersion: 'any',
              events: [domainEvents.encode(UserRenamed({ name: `name ${appended}` }), `user-live-${appended % 7}`)],
            },
          ],
        });
        appended++;
      } catch {
        // The next round tries again.
      }
      await sleep(15);
    }
  })();
  return {
    get appended() {
      return appended;
    },
    async stop() {
      running = false;
      await done;
    },
  };
}

/** Waits until `count` more events were appended than now. */
async function appendedMore(writer: ReturnType<typeof keepAppending>, count: number, what: string) {
  const from = writer.appended;
  await waitFor(() => writer.appended >= from + count, what, 30_000);
}

/** Waits until the subscriber has seen `count` more events than now. */
async function deliveredMore(live: ReturnType<typeof listen>, count: number, what: string, timeoutMs = 30_000) {
  const from = live.positions.length;
  await waitFor(() => live.positions.length >= from + count, what, timeoutMs);
}

/** The subscriber was given every event after `start`, each once, in the log's commit order. */
async function expectEveryEventOnce(database: Database, start: number, live: ReturnType<typeof listen>) {
  const { events } = await readAll(database.db, { after: await checkpointAt(database.db, start), limit: 100_000 });
  const expected = events.map((e) => e.position);
  await waitFor(() => live.positions.length >= expected.length, 'the subscriber to catch up', 30_000);
  expect(live.positions).toEqual(expected);
  expect(new Set(live.positions).size).toBe(live.positions.length);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The URL other processes reach this PostgreSQL test database by. */
async function urlOf(database: Database): Promise<string> {
  const rows = (await database.db.execute('select current_database() as name')) as unknown as { name: string }[];
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${rows[0]?.name}`;
  return url.toString();
}

const newUser = () => ({
  email: `${randomUUID().slice(0, 8)}@example.com`,
  name: 'Live',
  role: 'viewer' as const,
  password: 'password-123',
});

describeOnEachEngine('live events across lost connections', (engine) => {
  /** Defined on PostgreSQL only (not skipped elsewhere): these cut what PGlite does not have. */
  const onPostgresOnly = (name: string, fn: () => Promise<void>, timeout: number) => {
    if (engine === 'postgres') it(name, fn, timeout);
  };
  let api: TestApi;
  let admin: StrataClient;
  let adminToken: string;
  const db = () => api.app.database.db;
  const cleanups: (() => Promise<void> | void)[] = [];
  useTestApi(engine, {}, (suite) => ({ api, root: admin, rootToken: adminToken } = suite));
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('an api restart: the subscriber reconnects by itself and sees every event once, in order', async () => {
    // The subscriber's own api, stopped and started again on the same port; appends go on meanwhile.
    let edge = await startApiServer({ app: api.app, port: 0 });
    cleanups.push(() => edge.close());
    const start = await headPosition(db());
    const live = listen(createClient({ url: edge.url, token: adminToken }), { afterPosition: start });
    cleanups.push(live.stop);
    const writer = keepAppending(api.app.database);
    cleanups.push(writer.stop);

    await deliveredMore(live, 20, 'events before the restart');
    await edge.close();
    await appendedMore(writer, 30, 'appends while the api is down');
    edge = await startApiServer({ app: api.app, port: edge.port });
    await deliveredMore(live, 30, 'events after the restart');
    await writer.stop();

    await expectEveryEventOnce(api.app.database, start, live);
    expect(live.errors).toEqual([]);
    expect(live.starts).toBeGreaterThanOrEqual(2);
  }, 120_000);

  onPostgresOnly(
    "the api's database connections are terminated: the stream pauses and goes on, without reconnecting (PostgreSQL only: PGlite has no connections to lose)",
    async () => {
      const start = await headPosition(db());
      const live = listen(admin, { afterPosition: start });
      cleanups.push(live.stop);
      const writer = keepAppending(api.app.database);
      cleanups.push(writer.stop);

      await deliveredMore(live, 20, 'events before the connections are lost');
      for (let round = 0; round < 3; round++) {
        // Every other connection to this test database: the api's pool and its LISTEN connection.
        await db().execute(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        );
        await deliveredMore(live, 10, `events after losing the connections (round ${round + 1})`);
      }
      await writer.stop();

      await expectEveryEventOnce(api.app.database, start, live);
      expect(live.errors).toEqual([]);
      expect(live.starts).toBe(1);
    },
    120_000,
  );

  it('logout ends the stream for good, also when its filter hides the logout', async () => {
    const viewer = await api.signInNewUser(admin, newUser());
    const start = await headPosition(db());
    // Only renames pass the filter: the session check on the timer has to notice the logout.
    const live = listen(viewer, { afterPosition: start, type: 'UserRenamed' });
    cleanups.push(live.stop);
    const writer = keepAppending(api.app.database);
    cleanups.push(writer.stop);
    await deliveredMore(live, 5, 'renames while signed in');

    await viewer.auth.logout.mutate();
    await waitFor(() => live.errors.length > 0, 'the stream to end after the logout', 20_000);
    expect(live.errors[0]?.data?.code).toBe('UNAUTHORIZED');

    // Ended, not reconnecting: nothing more arrives while events go on being appended.
    const seen = live.positions.length;
    const starts = live.starts;
    await appendedMore(writer, 30, 'appends after the stream ended');
    await sleep(1000);
    expect(live.positions).toHaveLength(seen);
    expect(live.errors).toHaveLength(1);
    expect(live.starts).toBe(starts);
  }, 60_000);

  it('deactivating the user ends their stream, before it delivers their deactivation', async () => {
    const user = newUser();
    const { userId } = await admin.users.create.mutate(user);
    const { token } = await api.client().auth.login.mutate({ email: user.email, password: user.password });
    const start = await headPosition(db());
    const live = listen(api.client(token), { afterPosition: start });
    cleanups.push(live.stop);
    await admin.users.rename.mutate({ userId, name: 'Soon gone' });
    await deliveredMore(live, 1, 'the rename');

    const { position } = await admin.users.deactivate.mutate({ userId });
    await waitFor(() => live.errors.length > 0, 'the stream to end after the deactivation', 20_000);
    expect(live.errors[0]?.data?.code).toBe('UNAUTHORIZED');
    expect(live.positions).not.toContain(position);
  }, 60_000);

  it('the stream ends when its session expires', async () => {
    // An api whose sessions last 8 s (time enough to open the stream on a busy machine), on the same database.
    const app = createApp({ database: api.app.database, logger: createLogger('silent'), sessionTtlMs: 8000 });
    const shortLived = await startApiServer({ app, port: 0 });
    cleanups.push(() => shortLived.close());
    const user = newUser();
    await admin.users.create.mutate(user);
    const { token } = await createClient({ url: shortLived.url }).auth.login.mutate({
      email: user.email,
      password: user.password,
    });
    const live = listen(createClient({ url: shortLived.url, token }), { afterPosition: await headPosition(db()) });
    cleanups.push(live.stop);
    await waitFor(() => live.starts > 0, 'the stream to open');

    await waitFor(() => live.errors.length > 0, 'the stream to end at expiry', 20_000);
    expect(live.errors[0]?.data?.code).toBe('UNAUTHORIZED');
  }, 60_000);

  // PGlite lives inside the process that opened it: there is no api process to kill.
  onPostgresOnly(
    'SIGKILL of the api process mid-stream: a new process on the same port, and the subscriber sees every event once, in order (PostgreSQL only: PGlite has one process)',
    async () => {
      const databaseUrl = await urlOf(api.app.database);
      const port = await freePort();
      const children = new Set<ChildProcess>();
      const startApiProcess = () => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', 'apps/server/src/main.ts', '--port', String(port), '--no-worker'],
          {
            cwd: repoRoot,
            env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' },
            stdio: ['ignore', 'ignore', 'inherit'],
          },
        );
        children.add(child);
        child.once('exit', () => children.delete(child));
        return child;
      };
      const kill = async (child: ChildProcess, signal: NodeJS.Signals) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill(signal);
        await exited;
      };
      cleanups.push(() => Promise.all([...children].map((child) => kill(child, 'SIGKILL'))).then(() => undefined));

      const url = `http://127.0.0.1:${port}`;
      const listening = async () =>
        (await createClient({ url })
          .system.health.query()
          .catch(() => null)) !== null;
      const first = startApiProcess();
      await waitFor(listening, 'the api process to listen', 60_000);

      const start = await headPosition(db());
      const live = listen(createClient({ url, token: adminToken }), { afterPosition: start });
      cleanups.push(live.stop);
      const writer = keepAppending(api.app.database);
      cleanups.push(writer.stop);

      await deliveredMore(live, 20, 'events before the kill');
      await kill(first, 'SIGKILL');
      await appendedMore(writer, 30, 'appends while no api runs');
      startApiProcess();
      await deliveredMore(live, 30, 'events from the new api process', 60_000);
      await writer.stop();

      await expectEveryEventOnce(api.app.database, start, live);
      expect(live.errors).toEqual([]);
      expect(live.starts).toBeGreaterThanOrEqual(2);
    },
    180_000,
  );
});
