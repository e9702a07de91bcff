import { randomInt } from 'node:crypto';
import { createApp, issueBootstrapPassword } from '@strata/api';
import { headPosition, type ProjectionWorker, queryRows, readStream, type StrataDb, sql } from '@strata/db';
import { createTestDatabase, type TestDatabase, waitFor } from '@strata/db/testing';
import { adminRegistryStream, ERASED } from '@strata/domain';
import { type ApiServer, createLogger, publishingRoutes, startApiServer } from '@strata/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient, type StrataClient } from '../src/index.ts';
import { describeOnEachEngine, errorOf } from './harness.ts';

/**
 * Issue 16's acceptance test: a person who was created, signed in (wrongly and rightly), renamed,
 * given another email and another password, is forgotten. Afterwards nothing of theirs is in any
 * column of any table, their history still reads (with placeholders), their sessions are over,
 * their email is free, and every read model rebuilds from the log into what it was.
 */

/** Letters that are no hex digit: the token can turn up in no id or key, only where it was put. */
const token = Array.from({ length: 12 }, () => 'ghjkmnpqrstvwxyz'[randomInt(16)]).join('');
const person = {
  email: `Zelda.Quux-${token}@Example.com`,
  name: `Zelda Quuxington ${token}`,
  password: 'zelda-password-1',
};
const renamed = `Xanthippe Vorlauf ${token}`;
const secondEmail = `X.Vorlauf-${token}@Example.org`;
const secondPassword = 'zelda-password-2';
const localPart = (email: string) => email.slice(0, email.indexOf('@'));

/** A column that holds one of `terms`: where, and which. */
interface Finding {
  table: string;
  column: string;
  term: string;
}

/**
 * Every column of every table in the database (any type, as text), searched case-insensitively for
 * each term: what it finds.
 */
async function findAnywhere(db: StrataDb, terms: readonly string[]): Promise<Finding[]> {
  const columns = await queryRows<{ table_name: string; column_name: string; data_type: string }>(
    db,
    sql`select c.table_name, c.column_name, c.data_type
        from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
        order by c.table_name, c.ordinal_position`,
  );
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const findings: Finding[] = [];
  const wanted = terms.map((term) => term.toLowerCase());
  for (const { table_name: table, column_name: column } of columns) {
    const found = await queryRows<{ term: string }>(
      db,
      sql`select term from unnest(${sql.param(wanted)}::text[]) as wanted(term)
          where exists (select 1 from ${sql.raw(quote(table))}
                        where strpos(lower(${sql.raw(quote(column))}::text), term) > 0)`,
    );
    for (const { term } of found) findings.push({ table, column, term });
  }
  return findings;
}

/** The tables a scan covers (to check it reached the ones the issue names). */
async function tableNames(db: StrataDb) {
  const rows = await queryRows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  return rows.map((r) => r.table_name);
}

/** Every row of every read model table, in a stable order. */
async function readModelRows(db: StrataDb, tables: readonly string[]) {
  const contents: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = await queryRows<Record<string, unknown>>(db, sql.raw(`select * from "${table}"`));
    contents[table] = rows
      .map((row) => JSON.stringify(row, (_, value) => (typeof value === 'bigint' ? String(value) : value)))
      .sort();
  }
  return contents;
}

describeOnEachEngine('forgetting a person', (engine) => {
  let test: TestDatabase;
  let server: ApiServer;
  let worker: ProjectionWorker;
  let app: ReturnType<typeof createApp>;
  let root: StrataClient;
  let rootId: string;
  let viewer: StrataClient;
  const client = (bearer?: string) => createClient({ url: server.url, token: bearer });
  const db = () => app.database.db;
  const head = () => headPosition(db());

  /** Until every async projection and reactor has applied everything in the log. */
  const caughtUp = () =>
    waitFor(
      async () => (await root.projections.status.query()).every((status) => status.lag === 0),
      'the async projections to catch up',
      30_000,
    );

  // The person, and what their forgetting must erase.
  let userId: string;
  let forgotAt: { version: number; position: number };
  let sessionToken: string;
  const passwordHashes: string[] = [];

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    // Snapshots every second version: the person's stream has some before they are forgotten.
    app = createApp({
      database: test.database,
      logger: createLogger('silent'),
      readYourWritesTimeoutMs: 10_000,
      snapshotEvery: 2,
    });
    const oneTimePassword = (await issueBootstrapPassword(app)) ?? '';
    server = await startApiServer({ app, port: 0 }, publishingRoutes(app, { siteUrl: 'http://localhost:3000' }));
    worker = app.createWorker({ pollIntervalMs: 100 });
    await worker.start();
    const admin = await client().auth.bootstrapAdmin.mutate({
      email: 'root@example.com',
      name: 'Root',
      password: 'root-password-1',
      oneTimePassword,
    });
    root = client(admin.token);
    rootId = admin.userId;
    await root.users.create.mutate({
      email: 'viewer@example.com',
      name: 'Viewer',
      role: 'viewer',
      password: 'viewer-password-1',
    });
    viewer = client(
      (await client().auth.login.mutate({ email: 'viewer@example.com', password: 'viewer-password-1' })).token,
    );
  });

  afterAll(async () => {
    await worker?.stop();
    await server?.close();
    await test?.drop();
  });

  it('lives a life: signs in wrongly and rightly, is renamed, changes email, role and password', async () => {
    const created = await root.users.create.mutate({ ...person, role: 'viewer' });
    userId = created.userId;
    const wrong = await errorOf(client().auth.login.mutate({ email: person.email, password: 'not-my-password' }));
    expect(wrong.data?.code).toBe('UNAUTHORIZED');
    const first = await client().auth.login.mutate({ email: person.email, password: person.password });
    expect((await client(first.token).auth.me.query()).user.name).toBe(person.name);

    // An admin, so forgetting them also revokes a grant (and the role change reaches the outbox).
    await root.users.changeRole.mutate({ userId, role: 'admin' });
    await root.users.rename.mutate({ userId, name: renamed });
    await root.users.changeEmail.mutate({ userId, email: secondEmail });
    const changed = await root.users.changePassword.mutate({ userId, password: secondPassword });
    expect(changed.version).toBe(5);
    // The password change ended the first session; a sign-in with what is theirs now opens another.
    expect((await errorOf(client(first.token).auth.me.query())).data?.code).toBe('UNAUTHORIZED');
    await errorOf(client().auth.login.mutate({ email: secondEmail, password: person.password }));
    sessionToken = (await client().auth.login.mutate({ email: secondEmail, password: secondPassword })).token;
    expect((await client(sessionToken).auth.me.query()).user).toMatchObject({ userId, name: renamed, role: 'admin' });

    // Failed sign-ins are recorded after the answer.
    const failures = async () =>
      (await root.events.list.query({ type: 'LoginFailed', limit: 500 })).items.filter(
        (e) => (e.data as { userId?: string }).userId === userId,
      );
    await waitFor(async () => (await failures()).length === 2, 'both failed sign-ins in the log');
    expect((await failures()).map((e) => (e.data as { email: string }).email)).toEqual([
      person.email.toLowerCase(),
      secondEmail.toLowerCase(),
    ]);

    // The store opens their sealed fields for its readers: every password hash they ever had.
    const events = await readStream(db(), `user-${userId}`);
    expect(events.map((e) => e.type)).toEqual([
      'UserCreated',
      'UserRoleChanged',
      'UserRenamed',
      'UserEmailChanged',
      'UserPasswordChanged',
    ]);
    for (const event of events) {
      const { passwordHash } = event.data as { passwordHash?: string };
      if (passwordHash !== undefined) passwordHashes.push(passwordHash);
    }
    expect(passwordHashes).toHaveLength(2);
    for (const hash of passwordHashes) expect(hash).toMatch(/^\$argon2/);
    const snapshots = await queryRows<{ n: number | string }>(
      db(),
      sql`select count(*) as n from snapshots where stream_id = ${`user-${userId}`}`,
    );
    expect(Number(snapshots[0]?.n)).toBeGreaterThan(0);
  });

  /** Everything that would tell who they were. */
  const traces = () => {
    const digests = passwordHashes.map((hash) => hash.slice(hash.lastIndexOf('$') + 1));
    return [
      person.email,
      secondEmail,
      localPart(person.email),
      localPart(secondEmail),
      person.name,
      renamed,
      token,
      ...passwordHashes,
      ...digests,
    ];
  };

  it('finds them in the database before they are forgotten (the scan sees what it looks for)', async () => {
    await caughtUp();
    const found = await findAnywhere(db(), traces());
    const where = (term: string) => found.filter((f) => f.term === term.toLowerCase()).map((f) => f.table);
    expect(where(secondEmail)).toContain('users');
    expect(where(renamed)).toContain('users');
    // The snapshot state holds the current password hash in the clear: forgetting deletes it.
    expect(where(passwordHashes[0] ?? '').concat(where(passwordHashes[1] ?? ''))).toContain('snapshots');
    // And never in the log itself: its personal fields are sealed.
    expect(found.filter((f) => f.table === 'events')).toEqual([]);
  });

  it('forgets them: nothing of theirs is left in any column of any table', async () => {
    const before = await head();
    const stale = await errorOf(root.users.forget.mutate({ userId, expectedVersion: 4 }));
    expect(stale.data?.conflict).toEqual({ streamId: `user-${userId}`, expected: 4, actual: 5 });
    expect(await head()).toBe(before);
    const forgotten = await root.users.forget.mutate({ userId, expectedVersion: 5 });
    expect(forgotten.version).toBe(6);
    forgotAt = forgotten;
    await root.users.byId.query({ userId, minPosition: forgotten.position });
    await root.projections.eventStats.query({ minPosition: forgotten.position });
    await caughtUp();

    const tables = await tableNames(db());
    for (const table of ['events', 'streams', 'snapshots', 'command_results', 'users', 'sessions', 'outbox']) {
      expect(tables).toContain(table);
    }
    for (const projection of app.projections)
      for (const table of projection.tableNames) expect(tables).toContain(table);
    expect(await findAnywhere(db(), traces())).toEqual([]);
    // The outbox did get their role change (it names them by id only).
    const outbox = await queryRows<{ payload: unknown }>(db(), sql`select payload from outbox`);
    expect(outbox.map((row) => (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload))).toEqual(
      expect.arrayContaining([expect.objectContaining({ userId, role: 'admin' })]),
    );
  });

  it('keeps their history: every event, when and by whom, with personal fields erased', async () => {
    const history = await root.users.history.query({ userId });
    expect(history.map((e) => e.type)).toEqual([
      'UserCreated',
      'UserRoleChanged',
      'UserRenamed',
      'UserEmailChanged',
      'UserPasswordChanged',
      'UserForgotten',
    ]);
    for (const event of history) {
      expect(event.actorId).toBe(rootId);
      expect(event.actorName).toBe('Root');
      expect(event.recordedAt).toBeInstanceOf(Date);
    }
    expect(history[0]?.data).toMatchObject({ userId, email: ERASED, name: ERASED, role: 'viewer' });
    expect(history[2]?.data).toEqual({ name: ERASED });
    expect(history[3]?.data).toEqual({ email: ERASED });
    expect(JSON.stringify(history)).not.toMatch(/argon2|passwordHash/);

    // The store's readers hand out the placeholder for each sealed field, and every event decodes.
    const stored = await readStream(db(), `user-${userId}`);
    expect(stored.map((e) => e.data)).toEqual([
      { userId, email: ERASED, name: ERASED, role: 'viewer', passwordHash: ERASED },
      { role: 'admin' },
      { name: ERASED },
      { email: ERASED },
      { passwordHash: ERASED },
      {},
    ]);
    for (const event of stored) expect(() => app.catalog.decode(event)).not.toThrow();
    // Their email claims too, wherever they are.
    for (const email of [person.email, secondEmail]) {
      const claims = await readStream(db(), `user-email-${app.database.personalData.emailKeyOf(email)}`);
      expect(claims.length).toBeGreaterThan(0);
      for (const claim of claims) expect(claim.data).toEqual({ userId, email: ERASED });
    }

    expect(await root.users.asOf.query({ userId, version: 1 })).toMatchObject({
      exists: true,
      version: 1,
      user: { userId, name: ERASED, email: ERASED, role: 'viewer', status: 'active' },
    });
    expect(await root.users.asOf.query({ userId, version: 4 })).toMatchObject({
      user: { name: ERASED, email: ERASED, role: 'admin', status: 'active' },
    });
    expect(await root.users.asOf.query({ userId })).toMatchObject({
      version: 6,
      user: { name: ERASED, email: ERASED, status: 'forgotten' },
    });

    const failures = (await root.events.list.query({ type: 'LoginFailed', limit: 500 })).items.filter(
      (e) => (e.data as { userId?: string }).userId === userId,
    );
    expect(failures.map((e) => e.data)).toEqual([
      expect.objectContaining({ email: ERASED, reason: 'wrong_password' }),
      expect.objectContaining({ email: ERASED, reason: 'wrong_password' }),
    ]);

    expect(await root.users.byId.query({ userId })).toMatchObject({
      userId,
      status: 'forgotten',
      name: ERASED,
      email: ERASED,
      role: 'admin',
      version: 6,
    });
    // Forgetting an admin revoked their grant: root is the only active admin left.
    const admins = await readStream(db(), adminRegistryStream);
    expect(admins.at(-1)).toMatchObject({ type: 'AdminRevoked', data: { userId } });
  });

  it('ends their sessions and lets nobody sign in as them', async () => {
    const session = await errorOf(client(sessionToken).auth.me.query());
    expect(session.data?.code).toBe('UNAUTHORIZED');
    for (const [email, password] of [
      [secondEmail, secondPassword],
      [person.email, person.password],
      [secondEmail, person.password],
    ] as const) {
      expect((await errorOf(client().auth.login.mutate({ email, password }))).data?.code).toBe('UNAUTHORIZED');
    }
    const sessions = await queryRows<{ ended_at: unknown }>(
      db(),
      sql`select ended_at from sessions where user_id = ${userId}`,
    );
    expect(sessions).toHaveLength(2);
    for (const row of sessions) expect(row.ended_at).not.toBeNull();
  });

  it('refuses to forget the last active admin, twice the same person, or for a viewer, changing nothing', async () => {
    await caughtUp();
    const before = await head();
    const lastAdmin = await errorOf(root.users.forget.mutate({ userId: rootId }));
    expect(lastAdmin.data).toMatchObject({ code: 'PRECONDITION_FAILED', domainCode: 'user.last_admin' });
    const again = await errorOf(root.users.forget.mutate({ userId }));
    expect(again.data?.domainCode).toBe('user.forgotten');
    const byViewer = await errorOf(viewer.users.forget.mutate({ userId: rootId }));
    expect(byViewer.data?.code).toBe('FORBIDDEN');
    expect(await head()).toBe(before);
    // Root's own session survived the refused attempt.
    expect((await root.auth.me.query()).user.userId).toBe(rootId);
    // And a forgotten person takes no more changes.
    const rename = await errorOf(root.users.rename.mutate({ userId, name: 'Back again' }));
    expect(rename.data?.domainCode).toBe('user.forgotten');
    expect(await head()).toBe(before);
  });

  it('frees their email for a new person, who is unaffected', async () => {
    const newcomer = await root.users.create.mutate({
      email: secondEmail,
      name: 'Newcomer',
      role: 'viewer',
      password: 'newcomer-password-1',
    });
    expect(newcomer.userId).not.toBe(userId);
    expect(await root.users.byId.query({ userId: newcomer.userId, minPosition: newcomer.position })).toMatchObject({
      email: secondEmail,
      name: 'Newcomer',
      status: 'active',
    });
    const signedIn = await client().auth.login.mutate({ email: secondEmail, password: 'newcomer-password-1' });
    expect(signedIn.user).toMatchObject({ userId: newcomer.userId, name: 'Newcomer' });
    const created = (await root.users.history.query({ userId: newcomer.userId }))[0];
    expect(created?.data).toMatchObject({ email: secondEmail, name: 'Newcomer' });
    // The claim stream of the email holds both people: the forgotten one's fields stay erased.
    const claims = await readStream(db(), `user-email-${app.database.personalData.emailKeyOf(secondEmail)}`);
    expect(claims.map((c) => c.data)).toEqual([
      { userId, email: ERASED },
      { userId, email: ERASED },
      { userId: newcomer.userId, email: secondEmail },
    ]);
    // And the person forgotten stays so.
    expect((await root.users.byId.query({ userId })).name).toBe(ERASED);
  });

  it('rebuilds every read model from the log into what it was', async () => {
    await caughtUp();
    const tables = app.projections.flatMap((p) => p.tableNames);
    const position = await head();
    const listAll = async () => {
      const items = [];
      let cursor: string | undefined;
      do {
        const page = await root.users.list.query({ limit: 100, cursor });
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return items;
    };
    // event_stats comes in the table's order, which a rebuild may change.
    const stats = async () =>
      (await root.projections.eventStats.query({ minPosition: position })).sort((a, b) =>
        `${a.streamType} ${a.type}`.localeCompare(`${b.streamType} ${b.type}`),
      );
    const before = { rows: await readModelRows(db(), tables), users: await listAll(), stats: await stats() };
    expect(before.rows.users?.length).toBeGreaterThan(0);

    const startedAt = Date.now();
    for (const projection of app.projections) await root.projections.rebuild.mutate({ name: projection.name });
    await waitFor(
      async () => {
        const statuses = await root.projections.status.query();
        return app.projections.every((projection) => {
          const rebuild = statuses.find((s) => s.name === projection.name)?.rebuild;
          if (rebuild?.status === 'failed') throw new Error(`rebuild of ${projection.name} failed: ${rebuild.error}`);
          return rebuild?.status === 'done' && rebuild.finishedAt !== null && rebuild.finishedAt.getTime() >= startedAt;
        });
      },
      'every rebuild to finish',
      60_000,
    );
    await caughtUp();

    expect(await head()).toBe(position);
    expect(await readModelRows(db(), tables)).toEqual(before.rows);
    expect(await listAll()).toEqual(before.users);
    expect(await stats()).toEqual(before.stats);
    // The rebuilt tables hold nothing of the forgotten person either (the newcomer has the second email).
    const theNewcomers = [secondEmail, localPart(secondEmail), token];
    const leftOver = await findAnywhere(
      db(),
      traces().filter((term) => !theNewcomers.includes(term)),
    );
    expect(leftOver).toEqual([]);
    expect((await root.users.byId.query({ userId })).status).toBe('forgotten');
    expect(forgotAt.position).toBeLessThan(position);
  });
});
