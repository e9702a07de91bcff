import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase, testEngines } from '@strata/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/index.ts';

/**
 * The production build of the api (`npm run build`: apps/server/dist, what `npm run start:prod` runs),
 * started as a plain `node` process on an empty database of each engine, driven over HTTP by the
 * SDK. Turbo builds it before this workspace's tests (`@strata/client#test` depends on
 * `@strata/server#build`).
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const apiDir = path.join(repoRoot, 'apps/server');
const compiledApi = path.join(apiDir, 'dist/main.mjs');

function requireBuild() {
  if (existsSync(compiledApi)) return;
  throw new Error(
    'No production build of the api in apps/server/dist. Run the tests through turbo, which builds it first ' +
      '(`npx turbo run test --filter @strata/client`), or `npm run build` before.',
  );
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** The npm packages a production install (`npm ci --omit=dev`) brings for the api: the `dependencies` of it and its workspace packages. */
function productionDependencies(): Set<string> {
  const workspaces: Record<string, string> = {
    '@strata/server': 'apps/server',
    '@strata/api': 'packages/api',
    '@strata/db': 'packages/db',
    '@strata/domain': 'packages/domain',
  };
  const names = new Set<string>();
  const visit = (workspace: string) => {
    const dir = workspaces[workspace];
    if (!dir) throw new Error(`the api depends on ${workspace}, which this test does not know: add it above`);
    for (const name of Object.keys(readJson(path.join(repoRoot, dir, 'package.json')).dependencies ?? {})) {
      if (name.startsWith('@strata/')) visit(name);
      else names.add(name);
    }
  };
  visit('@strata/server');
  return names;
}

/** Every module specifier the compiled files import (static, dynamic, require). */
function importsOf(dir: string): Set<string> {
  const specifiers = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjs'))) {
    const code = readFileSync(path.join(dir, file), 'utf8');
    const patterns = [
      /\bfrom\s*"([^"]+)"/g,
      /\bimport\s*"([^"]+)"/g,
      /\bimport\(\s*"([^"]+)"\s*\)/g,
      /\brequire\(\s*"([^"]+)"\s*\)/g,
    ];
    for (const pattern of patterns) for (const match of code.matchAll(pattern)) specifiers.add(match[1] as string);
  }
  return specifiers;
}

const packageName = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] as string);

interface RunningApi {
  url: string;
  oneTimePassword: string;
  output: () => string;
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** `node apps/server/dist/main.mjs --port 0 …` until it says where it listens and prints the first admin's one-time password. */
async function startCompiledApi(args: string[], env: NodeJS.ProcessEnv): Promise<RunningApi> {
  const child = spawn(process.execPath, [compiledApi, '--port', '0', ...args], {
    cwd: tmpdir(),
    env: { ...env, LOG_LEVEL: 'info', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const lines = output.split('\n');
    const listening = lines.map((line) => /"msg":"api listening"/.test(line) && JSON.parse(line)).find(Boolean);
    const otpAt = lines.findIndex((line) => /One-time password for the first admin/.test(line));
    const oneTimePassword =
      otpAt >= 0
        ? lines
            .slice(otpAt + 1)
            .find((line) => line.trim())
            ?.trim()
        : undefined;
    if (listening && oneTimePassword) {
      return {
        url: listening.url as string,
        oneTimePassword,
        output: () => output,
        async stop() {
          child.kill('SIGTERM');
          return exited;
        },
      };
    }
    if (child.exitCode !== null) throw new Error(`the compiled api exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`the compiled api did not start within 120 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the compiled api (apps/server/dist)', () => {
  it('imports only Node built-ins and the production dependencies: no TypeScript, no tsx, no dev tool', () => {
    requireBuild();
    const allowed = productionDependencies();
    const dist = path.dirname(compiledApi);
    const imports = [...importsOf(dist)];
    // The bundle's own chunks, each a compiled file beside it…
    const chunks = imports.filter((s) => s.startsWith('.'));
    expect(chunks.filter((s) => !/^\.\/[\w.-]+\.mjs$/.test(s) || !existsSync(path.join(dist, s)))).toEqual([]);
    // …and packages: Node's, or ones a production install brings. No source, no tsx.
    const packages = imports.filter((s) => !s.startsWith('.'));
    expect(packages.filter((s) => !isBuiltin(s) && !allowed.has(packageName(s)))).toEqual([]);
    expect(packages.filter((s) => s.startsWith('@strata/') || s.endsWith('.ts'))).toEqual([]);
    expect(packages.map(packageName)).not.toContain('tsx');
    // Migrations ship beside the bundle, where packages/db looks for them at run time.
    const journal = readJson(path.join(apiDir, 'dist/migrations/meta/_journal.json'));
    const sources = readdirSync(path.join(repoRoot, 'packages/db/src/migrations')).filter((f) => f.endsWith('.sql'));
    expect(journal.entries.map((e: { tag: string }) => `${e.tag}.sql`)).toEqual(sources.sort());
    expect(
      readdirSync(path.join(apiDir, 'dist/migrations'))
        .filter((f) => f.endsWith('.sql'))
        .sort(),
    ).toEqual(sources.sort());
  });

  for (const engine of testEngines()) {
    describe.skipIf(engine.unavailable)(`on ${engine.name}`, () => {
      it('migrates an empty database, serves a mutation and queries over HTTP, runs its worker, stops on SIGTERM', {
        timeout: 180_000,
      }, async () => {
        requireBuild();
        const { DATABASE_URL: _, ...withoutUrl } = process.env;
        let database: TestDatabase | undefined;
        let dataDir: string | undefined;
        let args: string[];
        let env: NodeJS.ProcessEnv;
        if (engine.name === 'postgres') {
          // Empty: the compiled api applies the migrations it ships.
          database = await createTestDatabase('postgres', { migrate: false });
          args = [];
          env = { ...withoutUrl, DATABASE_URL: database.url };
        } else {
          dataDir = mkdtempSync(path.join(tmpdir(), 'strata-compiled-api-'));
          args = ['--data-dir', path.join(dataDir, 'data')];
          env = withoutUrl;
        }
        try {
          const api = await startCompiledApi(args, env);
          const anonymous = createClient({ url: api.url });
          expect(await anonymous.system.health.query()).toMatchObject({ ok: true, database: engine.name });

          const { token } = await anonymous.auth.bootstrapAdmin.mutate({
            email: 'root@example.com',
            name: 'Root',
            password: 'root-password-1',
            oneTimePassword: api.oneTimePassword,
          });
          const root = createClient({ url: api.url, token });
          const carol = await root.users.create.mutate({
            email: 'carol@example.com',
            name: 'Carol',
            role: 'viewer',
            password: 'carol-password-1',
          });
          expect(carol.version).toBe(1);
          const history = await root.users.history.query({ userId: carol.userId });
          expect(history.map((e) => e.type)).toEqual(['UserCreated']);
          const users = await root.users.list.query({ minPosition: carol.position });
          expect(users.items.map((u) => u.email).sort()).toEqual(['carol@example.com', 'root@example.com']);
          // An asynchronous read model: only the worker inside the api brings it up to this position.
          const stats = await root.projections.eventStats.query({ minPosition: carol.position });
          expect(stats.find((row) => row.type === 'UserCreated')?.count).toBe(2);

          expect(await api.stop()).toBe(0);
          expect(api.output()).not.toMatch(/"level":(50|60)/);
        } finally {
          await database?.drop();
          if (dataDir) rmSync(dataDir, { recursive: true, force: true });
        }
      });
    });
  }
});
