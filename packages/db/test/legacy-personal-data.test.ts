import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  domainEvents,
  ERASED,
  emailClaimDecider,
  emailClaimStream,
  identityPlans,
  loginAttemptsStream,
  userDecider,
  userStream,
} from '@strata/domain';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCommandRunner,
  type Database,
  databaseErrorOf,
  type Engine,
  newMasterKey,
  openDatabase,
  queryRows,
  readAll,
  readStream,
  sql,
} from '../src/index.ts';
import { legacyPersonalDataSetting, migrateLegacyPersonalData } from '../src/personal-data/legacy-migration.ts';
import { testEngines } from '../src/testing/index.ts';

/**
 * A database made by the code before issue 16 (crypto-shredding), with the demo data and identity
 * history in it (`fixtures/make-pre-personal-data-fixture.ts` made it): opening it with this code
 * must seal away every bit of plaintext personal data its events, stream ids, snapshots and command
 * results held, and leave everything readable as before.
 */
const fixture = readFileSync(new URL('./fixtures/pre-personal-data.sql', import.meta.url), 'utf8');
const plaintext = JSON.parse(/^-- plaintext: (.*)$/m.exec(fixture)?.[1] ?? 'null') as {
  emails: string[];
  names: string[];
};
const passwordHashes = [...new Set(fixture.match(/\$argon2id\$[^"']+/g) ?? [])];
/** Lines for psql (`\restrict` from newer pg_dumps) are not SQL: PGlite and a plain query refuse them. */
const fixtureSql = fixture
  .split('\n')
  .filter((line) => !line.startsWith('\\'))
  .join('\n');

const alice = { email: 'alice@example.com', name: 'Alice Admin' };
const bob = {
  oldEmail: 'bob@example.com',
  email: 'Robert.Viewer@Example.org',
  oldName: 'Bob Viewer',
  name: 'Robert Viewer',
};
const carol = { email: 'carol@example.com', name: 'Carol Created' };
const unknownEmail = 'mallory.unknown@example.net';

/** Read models that show active users as they are (not forgotten): plaintext there is by design. */
const readModelsOfPeople = new Set(['public.users']);

interface LoadedFixture {
  database: Database;
  close(): Promise<void>;
}

/** The fixture loaded into a fresh database of the engine, then opened by this code (migrations + legacy step). */
async function openFixture(engine: Engine, masterKey: string): Promise<LoadedFixture> {
  if (engine === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'strata-legacy-'));
    try {
      const loader = await PGlite.create(dataDir);
      await loader.exec(fixtureSql);
      await loader.close();
      const database = await openDatabase({ dataDir, masterKey });
      return {
        database,
        async close() {
          await database.close();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }
  const serverUrl = process.env.DATABASE_URL!;
  const name = `strata_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  };
  try {
    const loader = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await loader.unsafe(fixtureSql); // no parameters: one simple query of many statements
    } finally {
      await loader.end({ timeout: 5 });
    }
    const database = await openDatabase({ url: url.toString(), masterKey, maxConnections: 5 });
    return {
      database,
      async close() {
        await database.close();
        await drop();
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}

/** Every text, json and jsonb column of every table, but the read models of people. */
async function textColumns(database: Database) {
  const columns = await queryRows<{ table_schema: string; table_name: string; column_name: string }>(
    database.db,
    sql`select c.table_schema, c.table_name, c.column_name from information_schema.columns c
          join information_schema.tables t using (table_schema, table_name)
         where t.table_type = 'BASE TABLE' and c.table_schema not in ('pg_catalog', 'information_schema')
           and c.data_type in ('text', 'json', 'jsonb', 'character varying')
         order by 1, 2, 3`,
  );
  return columns.filter((c) => !readModelsOfPeople.has(`${c.table_schema}.${c.table_name}`));
}

/** Where in the database (`schema.table.column`) each needle occurs, case-insensitively. */
async function whereFound(database: Database, needles: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const c of await textColumns(database)) {
    const table = sql.raw(`"${c.table_schema}"."${c.table_name}"`);
    const column = sql.raw(`"${c.column_name}"`);
    const [row] = await queryRows<{ t: string | null }>(
      database.db,
      sql`select lower(string_agg(${column}::text, ' ')) as t from ${table}`,
    );
    const text = row?.t ?? '';
    for (const needle of needles) {
      if (text.includes(needle.toLowerCase()))
        found.push(`${c.table_schema}.${c.table_name}.${c.column_name}: ${needle}`);
    }
  }
  return found;
}

/** The tables the step may change, as text: to tell that a second run changed nothing. */
async function storeContents(database: Database): Promise<string> {
  const [row] = await queryRows<{ t: string }>(
    database.db,
    sql`select concat_ws(E'\n',
          (select string_agg(concat_ws(' ', position, transaction_id, stream_id, version, data::text), E'\n' order by position) from events),
          (select string_agg(concat_ws(' ', stream_id, stream_type, version), E'\n' order by stream_id) from streams),
          (select string_agg(concat_ws(' ', stream_id, version, state::text), E'\n' order by stream_id, version) from snapshots),
          (select string_agg(concat_ws(' ', command_id, result::text), E'\n' order by command_id) from command_results),
          (select string_agg(concat_ws(' ', subject, wrapped_key), E'\n' order by subject) from personal_data_keys)) as t`,
  );
  return row?.t ?? '';
}

for (const engine of testEngines()) {
  describe.skipIf(engine.unavailable)(`a database from before issue 16, opened on ${engine.name}`, () => {
    let fixtureDb: LoadedFixture | undefined;
    beforeAll(async () => {
      fixtureDb = await openFixture(engine.name, newMasterKey());
    });
    afterAll(async () => {
      await fixtureDb?.close();
    });
    const database = () => fixtureDb!.database;
    const keyOf = (email: string) => database().personalData.emailKeyOf(email);
    const userIdOf = async (email: string) => {
      const [row] = await queryRows<{ user_id: string }>(
        database().db,
        sql`select user_id from users where lower(email) = ${email.toLowerCase()}`,
      );
      if (!row) throw new Error(`no user with ${email} in the users read model`);
      return row.user_id;
    };

    it('is a database with plaintext personal data to begin with', () => {
      expect(plaintext.emails).toEqual(expect.arrayContaining([alice.email, bob.oldEmail, bob.email, carol.email]));
      expect(plaintext.names).toEqual(expect.arrayContaining([alice.name, bob.oldName, bob.name, carol.name]));
      expect(passwordHashes.length).toBeGreaterThanOrEqual(4); // alice, bob before and after, carol
      for (const needle of [...plaintext.emails, ...plaintext.names, ...passwordHashes]) {
        expect(fixture.toLowerCase()).toContain(needle.toLowerCase());
      }
      expect(fixture).toMatch(/INSERT INTO public\.snapshots VALUES \('user-/);
      expect(fixture).toMatch(/'login-bob@example\.com'/);
    });

    it('holds no plaintext email, name or password hash anywhere but the users read model', async () => {
      const [done] = await queryRows<{ value: string }>(
        database().db,
        sql`select value from strata_settings where name = ${legacyPersonalDataSetting}`,
      );
      expect(JSON.parse(done?.value ?? '{}')).toEqual({
        ran: true,
        // UserCreated ×3, UserRenamed, UserEmailChanged, UserPasswordChanged, EmailClaimed ×4,
        // EmailReleased, LoginFailed ×3
        sealedEvents: 14,
        // user-email- of alice, bob, robert and carol; login- of alice, bob, robert and mallory
        renamedStreams: 8,
        // bob's user stream (versions 2 and 4), his old claim and both his attempts streams
        droppedSnapshots: 5,
        // bob's email change, carol's creation
        rewrittenCommandResults: 2,
        at: expect.any(String),
      });

      expect(await whereFound(database(), [...plaintext.emails, ...plaintext.names, ...passwordHashes])).toEqual([]);
      // The search does look: the read model of people still shows them, and it would find them there.
      const [users] = await queryRows<{ t: string }>(
        database().db,
        sql`select string_agg(email || ' ' || name, ' ') as t from users`,
      );
      expect(users?.t).toContain(alice.email);
      expect(users?.t).toContain(bob.email);
      // Nothing is keyed by an email any more, and no snapshot of a personal stream is left.
      const streams = await queryRows<{ stream_id: string }>(
        database().db,
        sql`select stream_id from streams where stream_type in ('user-email', 'login-attempts') order by 1`,
      );
      expect(streams).toHaveLength(8);
      for (const { stream_id } of streams) expect(stream_id).toMatch(/^(user-email|login)-[0-9a-f]{64}$/);
      const snapshots = await queryRows<{ stream_id: string }>(
        database().db,
        sql`select stream_id from snapshots where stream_id like 'user-%' or stream_id like 'login-%'`,
      );
      expect(snapshots).toEqual([]);
    });

    it('reads every event as before: personal fields come back in clear', async () => {
      const db = database().db;
      const { events } = await readAll(db, { limit: 1000 });
      expect(events).toHaveLength(39);
      for (const event of events) {
        const decoded = domainEvents.decode(event);
        expect(JSON.stringify(decoded.data)).not.toContain(`"${ERASED}"`);
      }

      const aliceId = await userIdOf(alice.email);
      const bobId = await userIdOf(bob.email);
      const carolId = await userIdOf(carol.email);
      const decodedStream = async (streamId: string) =>
        (await readStream(db, streamId)).map((e) => domainEvents.decode(e) as { type: string; data: object });

      expect(await decodedStream(userStream(aliceId))).toEqual([
        {
          type: 'UserCreated',
          data: {
            userId: aliceId,
            email: alice.email,
            name: alice.name,
            role: 'admin',
            passwordHash: expect.any(String),
          },
        },
      ]);
      const bobs = await decodedStream(userStream(bobId));
      expect(bobs.map((e) => e.type)).toEqual([
        'UserCreated',
        'UserRenamed',
        'UserEmailChanged',
        'UserPasswordChanged',
      ]);
      expect(bobs[0]?.data).toMatchObject({ email: bob.oldEmail, name: bob.oldName });
      expect(bobs[1]?.data).toEqual({ name: bob.name });
      expect(bobs[2]?.data).toEqual({ email: bob.email });
      for (const e of [bobs[0], bobs[3]])
        expect(passwordHashes).toContain((e?.data as { passwordHash?: string } | undefined)?.passwordHash);
      expect((await decodedStream(userStream(carolId)))[0]?.data).toMatchObject({
        email: carol.email,
        name: carol.name,
      });

      // The email streams under their keyed ids, whatever the case the address is given in.
      expect(await decodedStream(emailClaimStream(keyOf('BOB@example.com')))).toEqual([
        { type: 'EmailClaimed', data: { userId: bobId, email: bob.oldEmail } },
        { type: 'EmailReleased', data: { userId: bobId, email: bob.oldEmail } },
      ]);
      expect(await decodedStream(emailClaimStream(keyOf(bob.email)))).toEqual([
        { type: 'EmailClaimed', data: { userId: bobId, email: bob.email } },
      ]);
      // Old failed sign-ins got the user who held the email then, and are sealed under that user's key
      // (forgetting bob erases them); one of an email nobody had stays the attempts stream's own.
      const bobsAttempts = await decodedStream(loginAttemptsStream(keyOf(bob.oldEmail)));
      expect(bobsAttempts.map((e) => e.type)).toEqual(['LoginFailed', 'LoginSucceeded']);
      expect(bobsAttempts[0]?.data).toMatchObject({ userId: bobId, email: bob.oldEmail, reason: 'wrong_password' });
      expect((await decodedStream(loginAttemptsStream(keyOf(bob.email))))[0]?.data).toMatchObject({
        userId: bobId,
        email: bob.email.toLowerCase(),
      });
      const mallorys = await decodedStream(loginAttemptsStream(keyOf(unknownEmail)));
      expect(mallorys).toEqual([
        { type: 'LoginFailed', data: { email: unknownEmail, reason: 'unknown_email', at: expect.any(String) } },
      ]);
      const subjects = await queryRows<{ stream_id: string; subject: string }>(
        db,
        sql`select stream_id, data->'email'->>'subject' as subject from events where type = 'LoginFailed' order by position`,
      );
      expect(subjects).toEqual([
        { stream_id: loginAttemptsStream(keyOf(bob.oldEmail)), subject: userStream(bobId) },
        { stream_id: loginAttemptsStream(keyOf(unknownEmail)), subject: loginAttemptsStream(keyOf(unknownEmail)) },
        { stream_id: loginAttemptsStream(keyOf(bob.email)), subject: userStream(bobId) },
      ]);

      // A retried command is answered with the streams' new ids.
      const [result] = await queryRows<{ result: unknown }>(
        db,
        sql`select result from command_results where command_id = 'fixture:email-bob'`,
      );
      const named = JSON.stringify(result?.result);
      expect(named).toContain(emailClaimStream(keyOf(bob.oldEmail)));
      expect(named).toContain(emailClaimStream(keyOf(bob.email)));
    });

    it('finds the demo users by email, as sign-in does, with the password hashes they had', async () => {
      const commands = createCommandRunner({ database: database(), catalog: domainEvents, snapshotEvery: 2 });
      // What the api's loadAccountByEmail does: the email's claim stream, then its owner's stream.
      const accountOf = async (email: string) => {
        const claim = await commands.load(emailClaimDecider, emailClaimStream(keyOf(email)));
        if (!claim.state.ownerId) return null;
        return (await commands.load(userDecider, userStream(claim.state.ownerId))).state;
      };
      // The hash a user's events hold now, read through the store (sealed in the table).
      const hashOf = async (userId: string, type: string) => {
        const event = (await readStream(database().db, userStream(userId))).findLast((e) => e.type === type);
        return (event?.data as { passwordHash?: string } | undefined)?.passwordHash;
      };
      const hashIn = (state: unknown) => (state as { passwordHash?: string } | null)?.passwordHash;

      const aliceAccount = await accountOf(alice.email);
      expect(aliceAccount).toMatchObject({ status: 'active', role: 'admin', email: alice.email, name: alice.name });
      const bobAccount = await accountOf('robert.viewer@EXAMPLE.org');
      expect(bobAccount).toMatchObject({ status: 'active', role: 'viewer', email: bob.email, name: bob.name });
      expect(await accountOf(carol.email)).toMatchObject({ status: 'active', email: carol.email, name: carol.name });
      expect(await accountOf(bob.oldEmail)).toBeNull(); // released when bob changed it
      expect(await accountOf(unknownEmail)).toBeNull();

      // Sign-in checks the password against the hash the account loads: the one made before.
      expect(passwordHashes).toContain(hashIn(bobAccount));
      expect(hashIn(bobAccount)).toBe(await hashOf(await userIdOf(bob.email), 'UserPasswordChanged'));
      expect(passwordHashes).toContain(hashIn(aliceAccount));
      expect(hashIn(aliceAccount)).toBe(await hashOf(await userIdOf(alice.email), 'UserCreated'));
    });

    it('changes nothing when run again, even with its done mark gone', async () => {
      const before = await storeContents(database());
      expect(await migrateLegacyPersonalData(database())).toMatchObject({ ran: false });
      await queryRows(database().db, sql`delete from strata_settings where name = ${legacyPersonalDataSetting}`);
      expect(await migrateLegacyPersonalData(database())).toEqual({
        ran: true,
        sealedEvents: 0,
        renamedStreams: 0,
        droppedSnapshots: 0,
        rewrittenCommandResults: 0,
      });
      expect(await storeContents(database())).toBe(before);
      expect(await whereFound(database(), [...plaintext.emails, ...plaintext.names, ...passwordHashes])).toEqual([]);
    });

    it('leaves the log append-only', async () => {
      const [trigger] = await queryRows<{ tgenabled: string }>(
        database().db,
        sql`select tgenabled from pg_trigger where tgname = 'events_append_only'`,
      );
      expect(trigger?.tgenabled).toBe('O');
      for (const statement of [
        sql`update events set type = type where position = 1`,
        sql`delete from events where position = 1`,
        sql`truncate events`,
      ]) {
        const error = await queryRows(database().db, statement).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(databaseErrorOf(error)).toMatchObject({ code: 'ES403', message: expect.stringMatching(/append-only/) });
      }
    });

    it('goes on from where the old streams stood: new events append to the renamed streams, sealed', async () => {
      const commands = createCommandRunner({ database: database(), catalog: domainEvents });
      const bobId = await userIdOf(bob.email);
      await commands.run(
        identityPlans.loginAttempt(keyOf(bob.email), {
          type: 'RecordLoginFailure',
          userId: bobId,
          email: bob.email.toLowerCase(),
          reason: 'wrong_password',
          now: new Date().toISOString(),
        }),
        { metadata: { actorId: null }, commandId: randomUUID() },
      );
      const attempts = await readStream(database().db, loginAttemptsStream(keyOf(bob.email)));
      expect(attempts.map((e) => [e.version, e.type])).toEqual([
        [1, 'LoginFailed'],
        [2, 'LoginSucceeded'],
        [3, 'LoginFailed'],
      ]);
      await commands.run(identityPlans.renameUser(bobId, 'Robert V. Viewer'));
      expect((await readStream(database().db, userStream(bobId))).at(-1)).toMatchObject({
        version: 5,
        data: { name: 'Robert V. Viewer' },
      });
      expect(await whereFound(database(), ['Robert V. Viewer', ...plaintext.emails])).toEqual([]);
    });

    it('forgets a person entirely, old events included: the sealed fields of theirs all read erased', async () => {
      const commands = createCommandRunner({ database: database(), catalog: domainEvents });
      const bobId = await userIdOf(bob.email);
      await commands.run(identityPlans.forgetUser(bobId, keyOf));
      const read = async (streamId: string) => (await readStream(database().db, streamId)).map((e) => e.data);
      const bobs = await read(userStream(bobId));
      expect(bobs[0]).toMatchObject({ email: ERASED, name: ERASED, passwordHash: ERASED });
      expect(bobs[1]).toEqual({ name: ERASED });
      for (const streamId of [emailClaimStream(keyOf(bob.oldEmail)), loginAttemptsStream(keyOf(bob.oldEmail))]) {
        const first = (await read(streamId))[0];
        expect(first).toMatchObject({ userId: bobId, email: ERASED });
      }
      expect((await read(loginAttemptsStream(keyOf(bob.email))))[0]).toMatchObject({ email: ERASED });
      // Nobody else's data went with him.
      expect((await read(loginAttemptsStream(keyOf(unknownEmail))))[0]).toMatchObject({ email: unknownEmail });
      expect((await read(userStream(await userIdOf(alice.email))))[0]).toMatchObject({ name: alice.name });
    });
  });
}
