import { headPosition } from '@strata/db';
import { waitFor } from '@strata/db/testing';
import { expect, it } from 'vitest';
import type { RouterInputs, StrataClient } from '../src/index.ts';
import { describeOnEachEngine, errorOf, type TestApi, useTestApi } from './harness.ts';

/** Input the types forbid, sent anyway to check the server's validation. */
const malformed = (value: unknown) => value as RouterInputs['users']['create'];

const admin = { email: 'root@example.com', name: 'Root', password: 'root-password-1' };

describeOnEachEngine('identity api over HTTP', (engine) => {
  let api: TestApi;
  let root: StrataClient;
  let viewer: StrataClient;
  let viewerId: string;
  const head = () => headPosition(api.app.database.db);

  // The first test signs up the first admin.
  useTestApi(engine, { admin: false }, (suite) => ({ api } = suite));

  it('refuses a wrong one-time password, then bootstraps the first admin once', async () => {
    const anonymous = api.client();
    expect(await anonymous.auth.status.query()).toEqual({ needsBootstrap: true });
    const wrong = await errorOf(anonymous.auth.bootstrapAdmin.mutate({ ...admin, oneTimePassword: 'nope' }));
    expect(wrong.data?.code).toBe('PRECONDITION_FAILED');
    expect(wrong.data?.domainCode).toBe('identity.bootstrap_password_invalid');

    const { token, userId } = await anonymous.auth.bootstrapAdmin.mutate({
      ...admin,
      oneTimePassword: api.oneTimePassword,
    });
    expect(userId).toMatch(/[0-9a-f-]{36}/);
    root = api.client(token);
    expect((await root.auth.me.query()).user).toMatchObject({ email: admin.email, role: 'admin' });
    const again = await errorOf(
      anonymous.auth.bootstrapAdmin.mutate({
        ...admin,
        email: 'x@example.com',
        oneTimePassword: api.oneTimePassword,
      }),
    );
    expect(again.data?.code).toBe('PRECONDITION_FAILED');
    expect(await anonymous.auth.status.query()).toEqual({ needsBootstrap: false });
  });

  it('logs in, and refuses anonymous calls', async () => {
    const login = await api.client().auth.login.mutate({ email: 'ROOT@example.com', password: admin.password });
    expect(login.user.role).toBe('admin');
    expect((await errorOf(api.client().users.list.query({}))).data?.code).toBe('UNAUTHORIZED');
    expect((await errorOf(api.client('garbage').users.list.query({}))).data?.code).toBe('UNAUTHORIZED');
    const wrong = await errorOf(api.client().auth.login.mutate({ email: admin.email, password: 'wrong-password' }));
    expect(wrong.data?.code).toBe('UNAUTHORIZED');
  });

  it('creates users and reads them back with minPosition', async () => {
    const bob = await root.users.create.mutate({
      email: 'bob@example.com',
      name: 'Bob',
      role: 'viewer',
      password: 'bob-password-1',
    });
    expect(bob).toMatchObject({ version: 1, streamId: `user-${bob.userId}` });
    expect(bob.position).toBeGreaterThan(0);
    viewerId = bob.userId;
    const read = await root.users.byId.query({ userId: bob.userId, minPosition: bob.position });
    expect(read).toMatchObject({ email: 'bob@example.com', role: 'viewer', status: 'active', version: 1 });
    const { token } = await api.client().auth.login.mutate({ email: 'bob@example.com', password: 'bob-password-1' });
    viewer = api.client(token);
    const list = await viewer.users.list.query({ role: 'viewer' });
    expect(list.items.map((u) => u.email)).toEqual(['bob@example.com']);
  });

  it('gives a viewer FORBIDDEN on every mutation and appends nothing', async () => {
    const before = await head();
    const attempts = [
      viewer.users.create.mutate({ email: 'v@example.com', name: 'V', role: 'admin', password: 'password-123' }),
      viewer.users.rename.mutate({ userId: viewerId, name: 'X' }),
      viewer.users.changeEmail.mutate({ userId: viewerId, email: 'x@example.com' }),
      viewer.users.changeRole.mutate({ userId: viewerId, role: 'admin' }),
      viewer.users.deactivate.mutate({ userId: viewerId }),
      viewer.users.reactivate.mutate({ userId: viewerId }),
      viewer.users.changePassword.mutate({ userId: viewerId, password: 'password-456' }),
    ];
    for (const attempt of attempts) expect((await errorOf(attempt)).data?.code).toBe('FORBIDDEN');
    expect(await head()).toBe(before);
  });

  it('answers a stale expectedVersion with CONFLICT naming both versions', async () => {
    const renamed = await root.users.rename.mutate({ userId: viewerId, name: 'Bobby', expectedVersion: 1 });
    expect(renamed.version).toBe(2);
    const stale = await errorOf(root.users.rename.mutate({ userId: viewerId, name: 'Robert', expectedVersion: 1 }));
    expect(stale.data?.code).toBe('CONFLICT');
    expect(stale.data?.conflict).toEqual({ streamId: `user-${viewerId}`, expected: 1, actual: 2 });
  });

  it('appends a command id once, however often it is sent', async () => {
    const commandId = 'create-carol-0001';
    const input = {
      email: 'carol@example.com',
      name: 'Carol',
      role: 'admin' as const,
      password: 'carol-password',
      commandId,
    };
    const first = await root.users.create.mutate(input);
    const before = await head();
    const second = await root.users.create.mutate(input);
    expect(second).toEqual(first);
    expect(await head()).toBe(before);
  });

  it('refuses malformed input with BAD_REQUEST and field errors, appending nothing', async () => {
    const before = await head();
    const bad: [string, () => Promise<unknown>][] = [
      [
        'wrong types',
        () => root.users.create.mutate(malformed({ email: 42, name: ['x'], role: 'admin', password: true })),
      ],
      ['missing fields', () => root.users.create.mutate(malformed({ email: 'm@example.com' }))],
      [
        'oversized name',
        () =>
          root.users.create.mutate({
            email: 'big@example.com',
            name: 'x'.repeat(100_000),
            role: 'viewer',
            password: 'password-123',
          }),
      ],
      [
        'bad email',
        () => root.users.create.mutate({ email: 'not-an-email', name: 'N', role: 'viewer', password: 'password-123' }),
      ],
      [
        'unknown role',
        () =>
          root.users.create.mutate({
            email: 'r@example.com',
            name: 'R',
            role: 'owner' as unknown as 'admin',
            password: 'password-123',
          }),
      ],
      [
        'short password',
        () => root.users.create.mutate({ email: 'p@example.com', name: 'P', role: 'viewer', password: 'short' }),
      ],
      ['bad user id', () => root.users.rename.mutate({ userId: 'not-a-uuid', name: 'X' })],
    ];
    for (const [label, call] of bad) {
      const error = await errorOf(call());
      expect(error.data?.code, label).toBe('BAD_REQUEST');
      expect(Object.keys(error.data?.fieldErrors ?? {}).length, label).toBeGreaterThan(0);
      expect(JSON.stringify(error.shape), label).not.toMatch(/\bat .*\.ts:\d+/);
    }
    const badEmail = await errorOf(
      root.users.create.mutate({ email: 'nope', name: 'N', role: 'viewer', password: 'password-123' }),
    );
    expect(badEmail.data?.fieldErrors).toHaveProperty('email');
    expect(await head()).toBe(before);
  });

  it('refuses a 10 MB body before parsing it', async () => {
    const response = await fetch(`${api.url}/trpc/users.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { name: 'x'.repeat(10 * 1024 * 1024) } }),
    });
    expect(response.status).toBe(413);
  });

  it('keeps emails unique: twenty concurrent creates of one email, one succeeds', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        root.users.create.mutate({
          email: i % 2 ? 'Dup@Example.com' : 'dup@example.com',
          name: `Dup ${i}`,
          role: 'viewer',
          password: 'password-123',
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected')
        expect((r.reason as { data?: { domainCode?: string } }).data?.domainCode).toBe('user.email_taken');
    }
    const list = await root.users.list.query({ search: 'dup@' });
    expect(list.items).toHaveLength(1);
  });

  it('refuses to demote or deactivate the last active admin', async () => {
    const carol = (await root.users.list.query({ search: 'carol' })).items[0]!;
    await root.users.deactivate.mutate({ userId: carol.userId });
    const me = (await root.auth.me.query()).user;
    const demote = await errorOf(root.users.changeRole.mutate({ userId: me.userId, role: 'viewer' }));
    expect(demote.data).toMatchObject({ code: 'PRECONDITION_FAILED', domainCode: 'user.last_admin' });
    const deactivate = await errorOf(root.users.deactivate.mutate({ userId: me.userId }));
    expect(deactivate.data?.domainCode).toBe('user.last_admin');
    await root.users.reactivate.mutate({ userId: carol.userId });
    await root.users.changeRole.mutate({ userId: carol.userId, role: 'viewer' });
  });

  it('shows history oldest first with actors, and the user as of a version or a time', async () => {
    const created = await root.users.create.mutate({
      email: 'dave@example.com',
      name: 'Dave',
      role: 'viewer',
      password: 'password-123',
    });
    await new Promise((r) => setTimeout(r, 30));
    const between = new Date();
    await new Promise((r) => setTimeout(r, 30));
    await root.users.changeRole.mutate({ userId: created.userId, role: 'admin' });
    await root.users.rename.mutate({ userId: created.userId, name: 'David' });

    const history = await viewer.users.history.query({ userId: created.userId });
    expect(history.map((e) => e.type)).toEqual(['UserCreated', 'UserRoleChanged', 'UserRenamed']);
    expect(history.every((e) => e.actorName === 'Root')).toBe(true);
    expect(JSON.stringify(history)).not.toMatch(/argon2|passwordHash/);

    expect(await viewer.users.asOf.query({ userId: created.userId, version: 1 })).toMatchObject({
      version: 1,
      user: { name: 'Dave', role: 'viewer' },
    });
    expect(await viewer.users.asOf.query({ userId: created.userId, at: between })).toMatchObject({
      version: 1,
      user: { role: 'viewer' },
    });
    expect(await viewer.users.asOf.query({ userId: created.userId })).toMatchObject({
      version: 3,
      user: { name: 'David', role: 'admin' },
    });
    const events = await viewer.events.list.query({ streamId: `user-${created.userId}` });
    expect(events.items.map((e) => e.version)).toEqual([1, 2, 3]);
    expect(JSON.stringify(await viewer.events.list.query({ limit: 500 }))).not.toMatch(/argon2/);
  });

  it('stops a deactivated user from logging in and ends their sessions', async () => {
    const bobSession = viewer;
    await root.users.deactivate.mutate({ userId: viewerId });
    const login = await errorOf(
      api.client().auth.login.mutate({ email: 'bob@example.com', password: 'bob-password-1' }),
    );
    expect(login.data?.code).toBe('UNAUTHORIZED');
    expect((await errorOf(bobSession.users.list.query({}))).data?.code).toBe('UNAUTHORIZED');
    await root.users.reactivate.mutate({ userId: viewerId });
  });

  it("records a known account's failed logins as events, and nothing for an unknown email", async () => {
    for (let i = 0; i < 3; i++) {
      expect(
        (await errorOf(api.client().auth.login.mutate({ email: 'eve@example.com', password: 'guess' }))).data?.code,
      ).toBe('UNAUTHORIZED');
    }
    // Attempts streams are named by a keyed hash of the email, never by the email.
    const failuresOf = async (email: string) =>
      (await root.events.list.query({ type: 'LoginFailed' })).items.filter(
        (e) => (e.data as { email?: string }).email === email,
      );
    expect(await failuresOf('eve@example.com')).toEqual([]);
    await errorOf(api.client().auth.login.mutate({ email: 'dave@example.com', password: 'guess' }));
    // Recorded after the answer, so the answer takes as long as for an unknown email.
    await waitFor(async () => (await failuresOf('dave@example.com')).length > 0, 'the failed login of dave');
    const [failure] = await failuresOf('dave@example.com');
    expect(failure?.streamId).toMatch(/^login-[0-9a-f]{64}$/);
    const sessions = await root.events.list.query({ type: 'SessionStarted' });
    expect(sessions.items.length).toBeGreaterThan(0);
    expect(sessions.items[0]?.actorId).toBeTruthy();
  });

  it('logout revokes the token', async () => {
    const { token } = await api.client().auth.login.mutate({ email: admin.email, password: admin.password });
    const session = api.client(token);
    await session.auth.logout.mutate();
    expect((await errorOf(session.auth.me.query())).data?.code).toBe('UNAUTHORIZED');
  });

  it('times out a read that waits for a position never written', async () => {
    const error = await errorOf(root.users.list.query({ minPosition: 1_000_000 }));
    expect(error.data?.code).toBe('TIMEOUT');
  });

  it('reports health', async () => {
    const health = await api.client().system.health.query();
    expect(health).toMatchObject({ ok: true, database: engine });
    expect(health.headPosition).toBeGreaterThan(10);
  });
});
