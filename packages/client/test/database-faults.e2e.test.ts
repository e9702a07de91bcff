import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  asc,
  eventStats,
  eventStatsProjection,
  queryRows,
  rebuildProjection,
  sql,
  users,
  usersProjection,
} from '@strata/db';
import { createTestDatabase, type TestDatabase, testEngines } from '@strata/db/testing';
import { domainEvents } from '@strata/domain';
import { TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type StrataClient } from '../src/index.ts';

/**
 * The api as `npm start` runs it (a process on PostgreSQL), while PostgreSQL drops its
 * connections: what a fail-over, an idle timeout or an operator's pg_terminate_backend does.
 * PGlite runs inside the api's own process and has no connection to lose.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const engine = testEngines().find((e) => e.name === 'postgres');
if (engine?.unavailable) console.warn(`Database fault tests skipped: ${engine.unavailable}`);

interface ApiProcess {
  child: ChildProcess;
  output(): string;
  /** The api's URL once it listens; rejects if the process exits first. */
  listening: Promise<string>;
}

const processes = new Set<ChildProcess>();

/** Starts `apps/server/src/main.ts` on this database; its connections carry `appName`, so a test can cut exactly them. */
function startApi(databaseUrl: string, appName: string, args: string[] = []): ApiProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts', '--port', '0', ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PGAPPNAME: appName, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  processes.add(child);
  child.once('exit', () => processes.delete(child));
  let output = '';
  const listening = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const line = output.split('\n').find((l) => l.includes('"msg":"api listening"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`api exited (${signal ?? code}) before listening:\n${output}`)),
    );
  });
  listening.catch(() => undefined);
  return { child, output: () => output, listening };
}

async function stopAll() {
  await Promise.all(
    [...processes].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (
    !(await condition().catch((error: unknown) => {
      last = error;
      return false;
    }))
  ) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const codeOf = (error: unknown) =>
  error instanceof TRPCClientError ? String((error.data as { code?: string } | undefined)?.code) : String(error);

describe.skipIf(engine?.unavailable)('the api on PostgreSQL when connections drop', { timeout: 180_000 }, () => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await stopAll();
    await test?.drop();
    test = undefined;
  });

  it('four processes starting at once on an empty database all come up, with exactly one valid one-time password', async () => {
    test = await createTestDatabase('postgres', { migrate: false });
    const url = test.url ?? '';
    const apis = Array.from({ length: 4 }, () => startApi(url, 'strata-start-test'));
    const urls = await Promise.all(apis.map((api) => api.listening));
    for (const api of apis) expect(api.child.exitCode).toBeNull();

    const printed = apis.flatMap((api) => [
      ...api.output().matchAll(/One-time password for the first admin[^\n]*\n\n\s+(\S+)/g),
    ]);
    expect(printed, apis.map((api) => api.output()).join('\n---\n')).toHaveLength(1);
    const stillValid = apis.filter((api) => api.output().includes('printed by an earlier start (or another process)'));
    expect(stillValid).toHaveLength(3);

    // The one printed password works, through any of the four.
    const oneTimePassword = printed[0]?.[1] ?? '';
    const { token } = await createClient({ url: urls[3] ?? '' }).auth.bootstrapAdmin.mutate({
      oneTimePassword,
      name: 'Root',
      email: 'root@example.com',
      password: 'root-password-1',
    });
    expect(token).toBeTruthy();
  });

  it('migrate applies the migrations to an empty database and exits, so a deploy can migrate before replicas start', async () => {
    test = await createTestDatabase('postgres', { migrate: false });
    const database = test.database;
    const migrate = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts', 'migrate'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: test.url ?? '', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    migrate.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    migrate.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    const code = await new Promise<number | null>((resolve) => migrate.once('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).toContain('migrations applied');
    const [row] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from information_schema.tables where table_name in ('events', 'streams', 'command_results')`,
    );
    expect(row?.n).toBe(3);
  });

  it('survives its connections being cut under load: alive, nothing acknowledged lost or doubled, back within seconds', async () => {
    test = await createTestDatabase('postgres');
    const database = test.database;
    const databaseName = new URL(test.url ?? '').pathname.slice(1);
    const appName = `strata-fault-${randomUUID().slice(0, 8)}`;
    const api = startApi(test.url ?? '', appName, ['--demo']);
    const url = await api.listening;
    const { token } = await createClient({ url })
      .auth.login.mutate({ email: 'alice@example.com', password: 'alice-demo-password' })
      .catch((error: unknown) => {
        throw new Error(`sign-in failed: ${String(error)}\n${api.output()}`);
      });
    const client: StrataClient = createClient({ url, token });

    // A live subscriber from the start of the log: it must see every event once, in order.
    const seen: number[] = [];
    const live = client.events.live.subscribe(
      { afterPosition: 0 },
      { onData: (event) => seen.push(event.data.position), onError: () => undefined },
    );

    // The test's own pool has another application_name, so only the api's connections go.
    const cut = () =>
      queryRows(
        database.db,
        sql`select pg_terminate_backend(pid) from pg_stat_activity
            where datname = ${databaseName} and application_name = ${appName}`,
      );

    const acknowledged: string[] = [];
    const failures: string[] = [];
    let slowest = 0;
    let loading = true;
    const loaders = Array.from({ length: 4 }, async (_, loader) => {
      for (let n = 0; loading; n++) {
        const email = `load-${loader}-${n}@example.com`;
        const started = Date.now();
        try {
          const created = await client.users.create.mutate({
            email,
            name: `Load ${n}`,
            role: 'viewer',
            password: 'a-long-password',
          });
          acknowledged.push(created.userId);
          slowest = Math.max(slowest, Date.now() - started);
        } catch (error) {
          slowest = Math.max(slowest, Date.now() - started);
          failures.push(codeOf(error));
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    });
    let cuts = 0;
    for (; cuts < 5; cuts++) {
      await new Promise((r) => setTimeout(r, 1200));
      await cut();
    }
    const lastCut = Date.now();
    // Service is back within seconds of the database taking connections again (it never refused).
    await waitUntil(
      async () => {
        await client.users.list.query({});
        return true;
      },
      10_000,
      'the api to answer again',
    ).catch((error: unknown) => {
      throw new Error(
        `${String(error)}\napi exit: ${api.child.exitCode ?? api.child.signalCode}\n${api.output().slice(-3000)}`,
      );
    });
    const recoveredMs = Date.now() - lastCut;
    await new Promise((r) => setTimeout(r, 1000));
    loading = false;
    await Promise.all(loaders);

    expect(api.child.exitCode, api.output()).toBeNull();
    expect(api.child.signalCode).toBeNull();
    expect(
      api
        .output()
        .split('\n')
        .filter((line) => line.includes('unhandled rejection')),
    ).toEqual([]);
    expect(recoveredMs).toBeLessThan(5000);
    console.info(
      `fault test: ${acknowledged.length} acknowledged, ${failures.length} refused, back ${recoveredMs} ms after the last cut; slowest call ${slowest} ms`,
    );
    expect(acknowledged.length).toBeGreaterThan(3);
    // A call cut mid-way is answered 503 (retry later), never a 500.
    expect(failures.filter((code) => code !== 'SERVICE_UNAVAILABLE')).toEqual([]);

    // Every acknowledged user is in the log exactly once and in the read model.
    const created = await queryRows<{ stream_id: string; n: string | number }>(
      database.db,
      sql`select stream_id, count(*) as n from events where type = 'UserCreated' group by stream_id`,
    );
    const createdCount = new Map(created.map((row) => [row.stream_id, Number(row.n)]));
    for (const userId of acknowledged) expect(createdCount.get(`user-${userId}`), userId).toBe(1);
    const readModel = new Set(
      (await database.db.select({ userId: users.userId }).from(users)).map((row) => row.userId),
    );
    for (const userId of acknowledged) expect(readModel.has(userId), userId).toBe(true);

    // Every processor catches up without a restart.
    await waitUntil(
      async () => (await client.projections.status.query()).every((status) => status.lag === 0),
      20_000,
      'every projection to catch up',
    );

    // The live subscriber saw every event once, in commit order (the store's reading order).
    const positions = (
      await queryRows<{ position: string | number }>(
        database.db,
        sql`select position from events order by transaction_id, position`,
      )
    ).map((row) => Number(row.position));
    await waitUntil(async () => seen.length >= positions.length, 20_000, 'the live subscriber to catch up');
    live.unsubscribe();
    expect(seen).toEqual(positions);

    // The read models equal what a rebuild makes from the log.
    const usersBefore = await database.db.select().from(users).orderBy(asc(users.userId));
    const statsBefore = await database.db
      .select()
      .from(eventStats)
      .orderBy(asc(eventStats.streamType), asc(eventStats.type));
    await rebuildProjection(database, usersProjection);
    await rebuildProjection(database, eventStatsProjection(domainEvents.types));
    expect(await database.db.select().from(users).orderBy(asc(users.userId))).toEqual(usersBefore);
    expect(
      await database.db.select().from(eventStats).orderBy(asc(eventStats.streamType), asc(eventStats.type)),
    ).toEqual(statsBefore);
  });
});
