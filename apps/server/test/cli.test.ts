import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ApiContext,
  appRouter,
  createApp,
  createCallerFactory,
  createSignInThrottle,
  readModels,
} from '@strata/api';
import {
  appendToStream,
  checkpointAt,
  type Database,
  eventStats,
  headPosition,
  openDatabase,
  queryRows,
  readAll,
  sql,
} from '@strata/db';
import { createTestDatabase, type TestDatabase, testEngines, waitFor } from '@strata/db/testing';
import { domainEvents } from '@strata/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(repoRoot, 'apps/server/bin/strata.mjs');

type Env = Record<string, string | undefined>;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A `strata` process as an operator starts it: the bin, through tsx, in the repository. */
function start(args: string[], env: Env): ChildProcess & { output: Run; exited: Promise<Run> } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  // npm's record of where a script was started; these paths are absolute anyway.
  delete childEnv.INIT_CWD;
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    env: childEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: Run = { code: null, stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => {
    output.stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output.stderr += chunk;
  });
  const exited = new Promise<Run>((resolve) =>
    child.once('close', (code) => {
      output.code = code;
      resolve(output);
    }),
  );
  return Object.assign(child, { output, exited });
}

function strata(args: string[], env: Env, input?: string): Promise<Run> {
  const child = start(args, env);
  child.stdin?.end(input ?? '');
  return child.exited;
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { position: number; eventId: string; type: string });

const testEvent = (n: number) => ({ type: 'CliTestHappened', data: { n } });

for (const engine of testEngines()) {
  describe.skipIf(engine.unavailable)(`strata CLI on ${engine.name}`, { timeout: 180_000 }, () => {
    let env: Env;
    let postgres: TestDatabase | undefined;
    let dataDir: string | undefined;
    const children = new Set<ChildProcess>();

    beforeAll(async () => {
      if (engine.name === 'postgres') {
        // Empty, as a fresh server's database is: `strata migrate` creates the tables.
        postgres = await createTestDatabase('postgres', { migrate: false });
        env = { DATABASE_URL: postgres.url };
      } else {
        dataDir = mkdtempSync(join(tmpdir(), 'strata-cli-'));
        env = { DATABASE_URL: '', DATA_DIR: dataDir };
      }
    });
    afterAll(async () => {
      for (const child of children) child.kill('SIGKILL');
      await postgres?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    /**
     * The database in this process, while no CLI command holds it: PGlite allows one process per
     * folder, so the folder is opened for `work` and closed again; PostgreSQL stays open.
     */
    async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
      if (postgres) return work(postgres.database);
      const database = await openDatabase({ dataDir });
      try {
        return await work(database);
      } finally {
        await database.close();
      }
    }
    const append = (count: number, from = 0) =>
      withDatabase(async (database) => {
        const result = await appendToStream(
          database.db,
          { streamId: `cli-test-${from}`, streamType: 'cli-test', expectedVersion: 'any' },
          Array.from({ length: count }, (_, i) => testEvent(from + i)),
        );
        return result.position;
      });
    const eventsAfter = (position: number) =>
      withDatabase(async (database) => {
        const ids: string[] = [];
        let after = await checkpointAt(database.db, position);
        for (;;) {
          const page = await readAll(database.db, { after, limit: 1000 });
          ids.push(...page.events.map((e) => e.eventId));
          if (page.events.length === 0) return ids;
          after = page.checkpoint;
        }
      });

    it('migrate applies the migrations to an empty database and exits', async () => {
      const run = await strata(['migrate'], env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^migrations applied: .* is up to date\n$/);
      // Without migrating on its own side, this process finds the tables.
      const head = postgres
        ? await headPosition(postgres.database.db)
        : await withDatabase((database) => headPosition(database.db));
      expect(head).toBe(0);
    });

    it('admin create makes an admin who can sign in, with a password from stdin or a generated one', async () => {
      const fromStdin = await strata(
        ['admin', 'create', '--email', 'ops@example.com', '--name', 'Ops', '--password-stdin'],
        env,
        'a long enough password\n',
      );
      expect(fromStdin.stderr).toBe('');
      expect(fromStdin.code).toBe(0);
      expect(fromStdin.stdout).toMatch(/^created admin ops@example\.com \(user [0-9a-f-]{36}\)\n$/);

      const generated = await strata(['admin', 'create', '--email', 'night@example.com', '--name', 'Night'], env);
      expect(generated.code).toBe(0);
      const password = /password \(shown once; change it after signing in\): (\S+)\n/.exec(generated.stdout)?.[1];
      expect(password).toMatch(/^[\w-]{24}$/);

      const taken = await strata(['admin', 'create', '--email', 'OPS@example.com', '--name', 'Again'], env);
      expect(taken.code).toBe(1);
      expect(taken.stderr).toMatch(/^strata admin create: an account with the email .* exists already\n$/);

      await withDatabase(async (database) => {
        const app = createApp({ database, logger: createLogger('silent') });
        const caller = createCallerFactory(appRouter)({
          app,
          session: null,
          requestId: 'cli-test',
          clientAddress: '127.0.0.1',
          signInThrottle: createSignInThrottle(),
          setSessionCookie: () => {},
        } as ApiContext);
        for (const [email, secret] of [
          ['ops@example.com', 'a long enough password'],
          ['night@example.com', password ?? ''],
        ] as const) {
          const { token } = await caller.auth.login({ email, password: secret });
          const session = await app.findSession(token);
          expect(session?.user).toMatchObject({ email, role: 'admin' });
        }
        await expect(caller.auth.login({ email: 'ops@example.com', password: 'not the password' })).rejects.toThrow(
          /wrong email or password/,
        );
        // The failure is recorded without the caller waiting: let it land before the folder closes.
        await waitFor(
          async () => (await readAll(database.db, { type: 'LoginFailed' })).events.length === 1,
          'the failed sign-in in the log',
        );
      });
    });

    it('events export --after N writes exactly the events after N, page after page, then exits', async () => {
      await append(5, 0);
      const n = (await append(1203, 100)) - 1150;
      const run = await strata(['events', 'export', '--after', String(n)], env);
      expect(run.code).toBe(0);
      const exported = jsonLines(run.stdout);
      expect(exported.map((e) => e.eventId)).toEqual(await eventsAfter(n));
      expect(exported).toHaveLength(1150);
      const last = exported.at(-1)?.position;
      expect(run.stderr).toBe(
        `exported 1,150 events after position ${n}; the last is at position ${last} (continue with --after ${last})\n`,
      );
      // Filters narrow it; everything from 0.
      const typed = await strata(['events', 'export', '--type', 'AdminGranted'], env);
      expect(jsonLines(typed.stdout).map((e) => e.type)).toEqual(['AdminGranted', 'AdminGranted']);
    });

    it('events tail prints events as they commit, stops on SIGINT and continues exactly with --after', async () => {
      const head = await withDatabase((database) => headPosition(database.db));
      const tail = start(['events', 'tail', '--json', '--after', String(head - 2)], env);
      children.add(tail);
      await waitFor(() => tail.output.stderr.includes('Ctrl+C to stop'), 'the tail to start', 30_000);
      await waitFor(() => jsonLines(tail.output.stdout).length === 2, 'the last two events', 10_000);
      let appended: number | undefined;
      if (postgres) {
        // Another process appends while the tail runs: it picks the event up live.
        appended = await append(1, 5000);
        await waitFor(() => jsonLines(tail.output.stdout).length === 3, 'the appended event', 10_000);
      } else {
        // PGlite: the tail holds the folder, so another command is turned away, saying why.
        const locked = await strata(['projections', 'status'], env);
        expect(locked.code).toBe(1);
        expect(locked.stderr).toMatch(
          /^strata projections status: the PGlite data folder .* is in use by process \d+: PGlite allows one process per data folder, .*\n$/,
        );
      }
      tail.kill('SIGINT');
      const stopped = await tail.exited;
      children.delete(tail);
      expect(stopped.code).toBe(0);
      const seen = jsonLines(stopped.stdout);
      const last = seen.at(-1)?.position ?? -1;
      expect(seen.map((e) => e.eventId)).toEqual((await eventsAfter(head - 2)).slice(0, seen.length));
      if (appended !== undefined) expect(last).toBe(appended);
      expect(stopped.stderr).toContain(`stopped after position ${last}; continue with --after ${last}\n`);

      // Events committed while no tail ran are the first the next one prints.
      const missed = await append(2, 6000);
      const resumed = start(['events', 'tail', '--after', String(last)], env);
      children.add(resumed);
      await waitFor(() => resumed.output.stdout.split('\n').length > 2, 'the resumed tail', 30_000);
      resumed.kill('SIGINT');
      const again = await resumed.exited;
      children.delete(resumed);
      expect(again.code).toBe(0);
      const lines = again.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(new RegExp(`^#${missed - 1}  \\S+  cli-test-6000 v1  CliTestHappened  \\{"n":6000\\}$`));
      expect(lines[1]).toMatch(new RegExp(`^#${missed}  `));
      expect(again.stderr).toContain(`continue with --after ${missed}\n`);
    });

    it('projections status lists every projection and reactor', async () => {
      const { projections, reactors } = readModels(domainEvents);
      const names = [...projections, ...reactors].map((p) => p.name);
      const json = await strata(['projections', 'status', '--json'], env);
      expect(json.code).toBe(0);
      const statuses = JSON.parse(json.stdout) as { name: string; mode: string; lag: number }[];
      expect(statuses.map((s) => s.name)).toEqual(names);
      // No worker has run: the async ones are behind by the whole log.
      expect(statuses.find((s) => s.name === 'event_stats')?.lag).toBeGreaterThan(1000);

      const table = await strata(['projections', 'status'], env);
      expect(table.code).toBe(0);
      const [header, ...rows] = table.stdout.split('\n');
      expect(header).toMatch(/^NAME +MODE +STATE +POSITION +LAG +LAG S +WORKER +REBUILD$/);
      for (const name of names) expect(rows.some((row) => row.startsWith(`${name} `))).toBe(true);
    });

    it('projections rebuild NAME replays it with a progress line per tenth', async () => {
      const run = await strata(['projections', 'rebuild', 'event_stats'], env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      // Not a terminal: percentage lines instead of a bar.
      expect(run.stdout).toMatch(/^rebuilding event_stats: \d+% \([\d,]+\/[\d,]+ events\)\n/);
      expect(run.stdout).toMatch(/rebuilding event_stats: 100% .*\nrebuilt event_stats: [\d,]+ events in /);
      await withDatabase(async (database) => {
        // event_stats counts the catalog's types; the test's own events are not among them.
        const [row] = await queryRows<{ n: string | number }>(
          database.db,
          sql`select count(*) as n from events where type <> 'CliTestHappened'`,
        );
        const counted = await database.db.select().from(eventStats);
        expect(counted.reduce((sum, r) => sum + r.count, 0)).toBe(Number(row?.n));
      });
      const status = JSON.parse((await strata(['projections', 'status', '--json'], env)).stdout) as {
        name: string;
        lag: number;
        rebuild: { status: string } | null;
      }[];
      expect(status.find((s) => s.name === 'event_stats')).toMatchObject({ lag: 0, rebuild: { status: 'done' } });
    });

    it('a position with no event, or a projection that does not exist, exits with status 2', async () => {
      for (const [args, message] of [
        [['events', 'tail', '--after', '999999'], /^strata events tail: --after 999999: no event has that position/],
        [
          ['projections', 'rebuild', 'no_such_thing'],
          /^strata projections rebuild: unknown projection "no_such_thing"; /,
        ],
      ] as const) {
        const run = await strata([...args], env);
        expect(run.code, args.join(' ')).toBe(2);
        expect(run.stderr, args.join(' ')).toMatch(message);
        expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      }
    });
  });
}

describe('strata CLI without a database', () => {
  it('prints its help, and names a PGlite folder that does not exist instead of creating one', async () => {
    const help = await strata(['--help'], {});
    expect(help.code).toBe(0);
    for (const command of ['migrate', 'projections status', 'events tail', 'events export', 'admin create']) {
      expect(help.stdout).toContain(`  ${command}`);
    }
    const missing = join(tmpdir(), 'strata-cli-no-such-folder');
    const run = await strata(['events', 'export', '--data-dir', missing], { DATABASE_URL: '' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `strata events export: no PGlite data folder at ${missing}: pass --data-dir (or set DATA_DIR or DATABASE_URL) to say where the data is\n`,
    );
  });

  it('refuses to start without a master key on PostgreSQL, saying how to make one, before connecting', async () => {
    // Nothing answers on port 1: the refusal comes before any connection.
    const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', STRATA_MASTER_KEY: '' };
    for (const args of [['migrate'], ['serve', '--port', '0']]) {
      const run = await strata(args, env);
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr, args.join(' ')).toMatch(/STRATA_MASTER_KEY is not set.*openssl rand -base64 32/);
      expect(run.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
    const malformed = await strata(['migrate'], { ...env, STRATA_MASTER_KEY: 'not-a-key' });
    expect(malformed.stderr).toMatch(/STRATA_MASTER_KEY must be 32 bytes in base64/);
  });

  it('bad input exits non-zero with a one-line message', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /^strata: unknown command "frobnicate"/],
      [['events', 'export', '--since', '3'], /^strata events export: Unknown option '--since'/],
      [['events', 'export', '--after', '-1'], /^strata events export: Option '--after' argument is ambiguous\. /],
      [['events', 'export', '--after', '1.5'], /^strata events export: --after must be a position/],
      [['projections', 'rebuild'], /^strata projections rebuild: which projection\? name one of: users, /],
      [['projections'], /^strata projections: which command\?/],
      [
        ['admin', 'create', '--email', 'not-an-email', '--name', 'X'],
        /^strata admin create: --email: must be a valid email/,
      ],
      [['admin', 'create', '--email', 'x@example.com'], /^strata admin create: --name is required/],
    ];
    // None of these reaches a database: they may run side by side.
    const runs = await Promise.all(cases.map(([args]) => strata(args, {})));
    for (const [i, [args, message]] of cases.entries()) {
      const run = runs[i] as Run;
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
    }
    const help = await strata(['events', 'tail', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: strata events tail /);
  });
});
