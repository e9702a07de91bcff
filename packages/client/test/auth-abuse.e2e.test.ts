import { randomUUID } from 'node:crypto';
import { headPosition } from '@strata/db';
import { waitFor } from '@strata/db/testing';
import { type ApiServer, startApiServer } from '@strata/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient, type StrataClient } from '../src/index.ts';
import { describeOnEachEngine, errorOf, type TestApi, useTestApi } from './harness.ts';

const root = { email: 'root@example.com', name: 'Root', password: 'root-password-1' };
const pat = { email: 'pat@example.com', name: 'Pat', role: 'viewer' as const, password: 'pat-password-1' };

/** A POST of one tRPC mutation with raw headers, as a browser or a script would send it. */
function post(server: ApiServer, procedure: string, input: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ json: input }),
  });
}

describeOnEachEngine('sign-in abuse and sessions over HTTP', (engine) => {
  let api: TestApi;
  /** Every client address of these tests is 127.0.0.1: this server's budget is large, one test uses the real one. */
  let server: ApiServer;
  let admin: StrataClient;
  let patId: string;
  const head = () => headPosition(api.app.database.db);
  const client = (token?: string, on: ApiServer = server) => createClient({ url: on.url, token });
  const login = (email: string, password: string, on: ApiServer = server) =>
    client(undefined, on).auth.login.mutate({ email, password });

  // The first test signs up the first admin.
  useTestApi(engine, { admin: false }, (suite) => ({ api } = suite));
  beforeAll(async () => {
    server = await startApiServer({ app: api.app, port: 0, signInLimits: { attemptsPerAddress: 1000 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('limits one-time-password guesses, appending nothing, and still lets the right one in', async () => {
    const guessing = await startApiServer({ app: api.app, port: 0, signInLimits: { bootstrapGuesses: 3 } });
    try {
      const before = await head();
      const guess = () =>
        client(undefined, guessing).auth.bootstrapAdmin.mutate({ ...root, oneTimePassword: 'a-wrong-guess' });
      for (let i = 0; i < 3; i++) expect((await errorOf(guess())).data?.code).toBe('PRECONDITION_FAILED');
      const refused = await errorOf(guess());
      expect(refused.data?.code).toBe('TOO_MANY_REQUESTS');
      expect(refused.data?.domainCode).toBe('auth.throttled');
      expect(await head()).toBe(before);
    } finally {
      await guessing.close();
    }
    const { token } = await client().auth.bootstrapAdmin.mutate({ ...root, oneTimePassword: api.oneTimePassword });
    admin = client(token);
    patId = (await admin.users.create.mutate(pat)).userId;
    // Once an admin exists, a guess is refused before any password work, and appends nothing.
    const before = await head();
    const late = await errorOf(client().auth.bootstrapAdmin.mutate({ ...root, oneTimePassword: 'x' }));
    expect(late.data?.code).toBe('PRECONDITION_FAILED');
    expect(await head()).toBe(before);
  });

  it('slows an account down after wrong passwords, but never keeps the right one out', async () => {
    for (let i = 0; i < 6; i++) {
      expect((await errorOf(login(pat.email, 'not-the-password'))).data?.code).toBe('UNAUTHORIZED');
    }
    const signedIn = await login(pat.email, pat.password);
    expect(signedIn.user.email).toBe(pat.email);
    // Wrong passwords of an existing account are in the log (recorded after the answer).
    await waitFor(
      async () =>
        (await admin.events.list.query({ type: 'LoginFailed', limit: 100 })).items.filter(
          (e) => (e.data as { email?: string }).email === pat.email,
        ).length === 6,
      'six LoginFailed events for pat',
    );
  });

  it('appends nothing for emails no account has', async () => {
    const before = await head();
    for (let i = 0; i < 5; i++) {
      const error = await errorOf(login(`nobody-${randomUUID()}@example.com`, 'some-password'));
      expect(error.data?.code).toBe('UNAUTHORIZED');
      expect(error.message).toBe('wrong email or password');
    }
    expect(await head()).toBe(before);
  });

  it('refuses a batch of many sign-in calls as a whole, appending nothing', async () => {
    const before = await head();
    const batched = client();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => batched.auth.login.mutate({ email: pat.email, password: 'guess-guess' })),
    );
    for (const result of results) {
      expect(result.status).toBe('rejected');
      if (result.status === 'rejected')
        expect((result.reason as { data?: { code?: string } }).data?.code).toBe('BAD_REQUEST');
    }
    expect(await head()).toBe(before);
    // Calls that check no password batch as before (the web app asks for the session and the status together).
    const reads = await Promise.all(Array.from({ length: 6 }, () => batched.auth.session.query()));
    expect(reads.map((read) => read.user)).toEqual(Array(6).fill(null));
    expect((await batched.auth.status.query()).needsBootstrap).toBe(false);
  });

  it('ends the other sessions of someone whose password changes', async () => {
    const first = client((await login(pat.email, pat.password)).token);
    const second = client((await login(pat.email, pat.password)).token);
    await admin.users.changePassword.mutate({ userId: patId, password: 'pat-password-2' });
    for (const session of [first, second]) {
      expect((await errorOf(session.auth.me.query())).data?.code).toBe('UNAUTHORIZED');
    }
    expect((await errorOf(login(pat.email, pat.password))).data?.code).toBe('UNAUTHORIZED');
    expect((await login(pat.email, 'pat-password-2')).user.email).toBe(pat.email);

    // Changing one's own password keeps the session it was changed from, and ends the others.
    const here = client((await login(root.email, root.password)).token);
    const elsewhere = client((await login(root.email, root.password)).token);
    const me = (await here.auth.me.query()).user;
    await here.users.changePassword.mutate({ userId: me.userId, password: 'root-password-2' });
    expect((await here.auth.me.query()).user.userId).toBe(me.userId);
    expect((await errorOf(elsewhere.auth.me.query())).data?.code).toBe('UNAUTHORIZED');
    // The session from the first run was another of root's: it ended too.
    expect((await errorOf(admin.auth.me.query())).data?.code).toBe('UNAUTHORIZED');
    admin = here;
    const ended = await admin.events.list.query({ type: 'SessionEnded' });
    expect(ended.items.length).toBeGreaterThanOrEqual(3);
  });

  it('ends sessions on deactivation, and reactivation does not bring them back', async () => {
    const before = client((await login(pat.email, 'pat-password-2')).token);
    await admin.users.deactivate.mutate({ userId: patId });
    expect((await errorOf(before.auth.me.query())).data?.code).toBe('UNAUTHORIZED');
    await admin.users.reactivate.mutate({ userId: patId });
    expect((await errorOf(before.auth.me.query())).data?.code).toBe('UNAUTHORIZED');
    expect((await login(pat.email, 'pat-password-2')).user.email).toBe(pat.email);
  });

  it('answers a malformed session cookie with 401, not 500', async () => {
    for (const cookie of [
      'strata_session=%E0%A4%A',
      'strata_session=%',
      `strata_session=${'x'.repeat(5000)}`,
      'strata_session=Zm9v%2',
    ]) {
      const response = await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie } });
      expect(response.status, cookie).toBe(401);
    }
  });

  it('sets an HttpOnly, SameSite=Strict cookie, Secure over HTTPS, good only from the web app', async () => {
    const plain = await post(server, 'auth.login', { email: pat.email, password: 'pat-password-2' });
    expect(plain.status).toBe(200);
    const cookie = plain.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^strata_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const viaHttps = await post(
      server,
      'auth.login',
      { email: pat.email, password: 'pat-password-2' },
      { 'x-forwarded-proto': 'https' },
    );
    expect(viaHttps.headers.get('set-cookie')).toContain('; Secure');

    const sessionCookie = cookie.split(';')[0] ?? '';
    const me = (origin?: string) =>
      fetch(`${server.url}/trpc/auth.me`, { headers: { cookie: sessionCookie, ...(origin ? { origin } : {}) } });
    expect((await me()).status).toBe(200);
    // Another site's page (the browser sends its Origin) cannot use the cookie.
    expect((await me('http://evil.example')).status).toBe(401);
  });

  it('sends CSP, frame-ancestors, nosniff and a referrer policy with every answer', async () => {
    const paths = ['/trpc/auth.status', '/trpc/auth.me', '/nowhere', '/feed.xml'];
    for (const path of paths) {
      // The test api's own server serves the feed routes.
      const response = await fetch(`${api.url}${path}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });

  it('shows viewers that sign-ins and sessions happened, without emails or session ids', async () => {
    const viewer = client((await login(pat.email, 'pat-password-2')).token);
    const failures = await viewer.events.list.query({ type: 'LoginFailed' });
    expect(failures.items.length).toBeGreaterThan(0);
    const sessions = await viewer.events.list.query({ type: 'SessionStarted' });
    expect(sessions.items.length).toBeGreaterThan(0);
    for (const event of [...failures.items, ...sessions.items]) {
      expect(event.streamId).toMatch(/^(login|session)-…$/);
      expect(event.data).not.toHaveProperty('email');
      expect(event.data).not.toHaveProperty('sessionId');
    }
    expect(JSON.stringify([failures, sessions])).not.toContain('pat@example.com');
  });

  it('answers 30 rapid sign-ins from one address with 429 past the limit, appending nothing', async () => {
    const limited = await startApiServer({ app: api.app, port: 0 });
    try {
      const before = await head();
      const codes: (string | undefined)[] = [];
      for (let i = 0; i < 30; i++) {
        // A different email each time: what the address limit stops is spraying, not one account.
        codes.push((await errorOf(login(`spray-${i}@example.com`, 'password-123', limited))).data?.code);
      }
      expect(codes.slice(0, 20)).toEqual(Array(20).fill('UNAUTHORIZED'));
      expect(codes.slice(20)).toEqual(Array(10).fill('TOO_MANY_REQUESTS'));
      const refused = await errorOf(login(pat.email, 'pat-password-2', limited));
      expect(refused.data?.domainDetails).toMatchObject({ retryAfterSeconds: expect.any(Number) });
      expect(await head()).toBe(before);
    } finally {
      await limited.close();
    }
  });
});
