import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { domainEvents, ERASED, identityPlans, userDecider, userStream } from '@strata/domain';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createCommandRunner,
  loadSnapshot,
  MasterKeyError,
  masterKeyEnv,
  newMasterKey,
  openDatabase,
  queryRows,
  readAll,
  readStream,
  sql,
  usersProjection,
} from '../src/index.ts';
import { createTestDatabase, testEngines, useTestDatabase } from '../src/testing/index.ts';

const person = () => {
  const tag = randomUUID().slice(0, 8);
  return {
    userId: randomUUID(),
    email: `Ida.Personal-${tag}@Example.com`,
    name: `Ida Personal ${tag}`,
    role: 'viewer' as const,
    passwordHash: `$argon2id$v=19$fake-${tag}`,
  };
};

for (const engine of testEngines()) {
  describe.skipIf(engine.unavailable)(`personal data on ${engine.name}`, () => {
    const test = useTestDatabase(engine.name);
    const runner = () =>
      createCommandRunner({
        database: test.database,
        catalog: domainEvents,
        projections: [usersProjection],
        snapshotEvery: 2,
      });
    const keyOf = (email: string) => test.database.personalData.emailKeyOf(email);
    const rawEventsText = async (streamIds: string[]) =>
      (
        await queryRows<{ t: string }>(
          test.database.db,
          sql`select coalesce(string_agg(stream_id || ' ' || data::text || ' ' || metadata::text, ' '), '') as t
                from events where stream_id = any(${`{${streamIds.join(',')}}`}::text[])`,
        )
      )[0]?.t ?? '';

    it('stores personal fields sealed, a fresh IV each time, and every reader opens them', async () => {
      const ida = person();
      const commands = runner();
      await commands.run(identityPlans.createUser(ida, keyOf));
      await commands.run(identityPlans.renameUser(ida.userId, `${ida.name} II`));
      await commands.run(identityPlans.renameUser(ida.userId, ida.name));
      const raw = await rawEventsText([userStream(ida.userId)]);
      expect(raw).toContain('"$sealed"');
      expect(raw.toLowerCase()).not.toContain(ida.email.toLowerCase());
      expect(raw).not.toContain(ida.passwordHash);
      // The same name sealed twice (created, then renamed to it) does not look the same.
      const [created, , renamed] = await queryRows<{ iv: string }>(
        test.database.db,
        sql`select data->'name'->>'iv' as iv from events where stream_id = ${userStream(ida.userId)} order by version`,
      );
      expect(created?.iv).toBeTruthy();
      expect(created?.iv).not.toBe(renamed?.iv);

      const read = await readStream(test.database.db, userStream(ida.userId));
      expect(read[0]?.data).toMatchObject({ email: ida.email, name: ida.name, passwordHash: ida.passwordHash });
      const { events } = await readAll(test.database.db, { streamId: userStream(ida.userId) });
      expect(events[2]?.data).toEqual({ name: ida.name });
      const claims = await readStream(test.database.db, `user-email-${keyOf(ida.email)}`);
      expect(claims[0]?.data).toEqual({ userId: ida.userId, email: ida.email });
      expect(keyOf(ida.email)).toMatch(/^[0-9a-f]{64}$/);
      expect(keyOf(ida.email)).toBe(keyOf(` ${ida.email.toUpperCase()} `));
    });

    it('forgets a person: their key and snapshots go with the event, their fields read erased', async () => {
      const ida = person();
      const commands = runner();
      await commands.run(identityPlans.createUser(ida, keyOf));
      await commands.run(identityPlans.renameUser(ida.userId, `${ida.name} II`));
      await commands.run(identityPlans.renameUser(ida.userId, `${ida.name} III`));
      const stateVersion = userDecider.stateVersion ?? 1;
      expect(await loadSnapshot(test.database.db, userStream(ida.userId), { stateVersion })).toBeDefined();

      await commands.run(identityPlans.forgetUser(ida.userId, keyOf));

      // The snapshots from before are gone; one taken of the forgotten state holds nothing of theirs.
      const after = await loadSnapshot(test.database.db, userStream(ida.userId), { stateVersion });
      expect(after === undefined || after.version === 4).toBe(true);
      expect(JSON.stringify(after ?? {})).not.toContain(ida.name);
      const keys = await queryRows<{ n: number }>(
        test.database.db,
        sql`select count(*)::int as n from personal_data_keys where subject = ${userStream(ida.userId)}`,
      );
      expect(keys[0]?.n).toBe(0);
      const events = await readStream(test.database.db, userStream(ida.userId));
      expect(events.map((e) => e.type)).toEqual(['UserCreated', 'UserRenamed', 'UserRenamed', 'UserForgotten']);
      expect(events[0]?.data).toEqual({
        userId: ida.userId,
        role: 'viewer',
        email: ERASED,
        name: ERASED,
        passwordHash: ERASED,
      });
      for (const event of events) expect(() => domainEvents.decode(event)).not.toThrow();
      const loaded = await commands.load(userDecider, userStream(ida.userId));
      expect(loaded.state).toMatchObject({ status: 'forgotten', name: ERASED });
      const [row] = await queryRows<{ name: string; email: string; status: string }>(
        test.database.db,
        sql`select name, email, status from users where user_id = ${ida.userId}`,
      );
      expect(row).toEqual({ name: ERASED, email: ERASED, status: 'forgotten' });
      // The address is free again, under the same key-named stream.
      const next = { ...person(), email: ida.email };
      await commands.run(identityPlans.createUser(next, keyOf));
      const claims = await readStream(test.database.db, `user-email-${keyOf(ida.email)}`);
      expect(claims.map((e) => [e.type, e.data])).toEqual([
        ['EmailClaimed', { userId: ida.userId, email: ERASED }],
        ['EmailReleased', { userId: ida.userId, email: ERASED }],
        ['EmailClaimed', { userId: next.userId, email: ida.email }],
      ]);
    });

    it('forgets nothing when the forget is refused', async () => {
      const ida = { ...person(), role: 'admin' as const };
      const commands = runner();
      await commands.run(identityPlans.createUser(ida, keyOf));
      const others = await queryRows<{ user_id: string }>(
        test.database.db,
        sql`select user_id from users where role = 'admin' and status = 'active' and user_id <> ${ida.userId}`,
      );
      // Leave ida the last active admin.
      for (const other of others) await commands.run(identityPlans.deactivateUser(other.user_id));
      await expect(commands.run(identityPlans.forgetUser(ida.userId, keyOf))).rejects.toMatchObject({
        code: 'user.last_admin',
      });
      expect((await readStream(test.database.db, userStream(ida.userId)))[0]?.data).toMatchObject({ name: ida.name });
    });
  });
}

describe('master key', () => {
  const folders: string[] = [];
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('is made once in a PGlite data folder, readable by its owner only', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'strata-key-'));
    folders.push(dataDir);
    const saved = process.env[masterKeyEnv];
    delete process.env[masterKeyEnv];
    try {
      const first = await openDatabase({ dataDir });
      const ida = person();
      await createCommandRunner({ database: first, catalog: domainEvents }).run(
        identityPlans.createUser(ida, first.personalData.emailKeyOf),
      );
      await first.close();
      const key = readFileSync(join(dataDir, 'master.key'), 'utf8');
      expect(statSync(join(dataDir, 'master.key')).mode & 0o077).toBe(0);
      const again = await openDatabase({ dataDir });
      expect(readFileSync(join(dataDir, 'master.key'), 'utf8')).toBe(key);
      expect((await readStream(again.db, userStream(ida.userId)))[0]?.data).toMatchObject({ name: ida.name });
      await again.close();
      // Another key cannot open what the first one sealed: the api refuses to start.
      await expect(openDatabase({ dataDir, masterKey: newMasterKey() })).rejects.toThrow(MasterKeyError);
    } finally {
      if (saved !== undefined) process.env[masterKeyEnv] = saved;
    }
  });

  it('is required on PostgreSQL, well-formed, and the one the database was made with', async () => {
    const saved = process.env[masterKeyEnv];
    delete process.env[masterKeyEnv];
    try {
      // Refused before connecting: this address does not even answer.
      await expect(openDatabase({ url: 'postgres://nobody@127.0.0.1:1/none' })).rejects.toThrow(
        /STRATA_MASTER_KEY is not set/,
      );
      await expect(openDatabase({ url: 'postgres://nobody@127.0.0.1:1/none', masterKey: 'short' })).rejects.toThrow(
        MasterKeyError,
      );
    } finally {
      if (saved !== undefined) process.env[masterKeyEnv] = saved;
    }
  });

  it.skipIf(!process.env.DATABASE_URL)('refuses another key on a PostgreSQL database, writing nothing', async () => {
    const test = await createTestDatabase('postgres');
    try {
      const url = test.url!;
      const head = async () =>
        (await queryRows<{ n: number }>(test.database.db, sql`select count(*)::int as n from events`))[0]?.n;
      const before = await head();
      await expect(openDatabase({ url, masterKey: newMasterKey() })).rejects.toThrow(/not the one this database/);
      expect(await head()).toBe(before);
    } finally {
      await test.drop();
    }
  });
});
