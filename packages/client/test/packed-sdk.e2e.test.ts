import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { testEngines } from '@strata/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from './harness.ts';

/**
 * The SDK as someone outside the monorepo gets it: `npm pack` (which builds it), the tarball
 * installed into an empty folder elsewhere with its dependencies from the registry, a TypeScript
 * script type-checked against the installed declarations alone (skipLibCheck off) and run with
 * plain `node` against a real api.
 */
const run = promisify(execFile);
const clientDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = path.resolve(clientDir, '../..');
const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** A user's script: every call typed from the installed .d.ts. */
const script = `import { createClient, isTRPCClientError, type RouterInputs, type RouterOutputs, type StrataClient } from '@strata/client';

declare const process: { argv: string[] };
const [url, oneTimePassword] = process.argv.slice(2) as [string, string];

const anonymous = createClient({ url });
const { token } = await anonymous.auth.bootstrapAdmin.mutate({
  email: 'root@example.com',
  name: 'Root',
  password: 'root-password-1',
  oneTimePassword,
});
const strata: StrataClient = createClient({ url, token });
const input: RouterInputs['users']['create'] = {
  email: 'carol@example.com',
  name: 'Carol',
  role: 'viewer',
  password: 'a-long-password',
};
const carol = await strata.users.create.mutate(input);
const changed = await strata.users.changeRole.mutate({ userId: carol.userId, role: 'admin', expectedVersion: carol.version });
const history: RouterOutputs['users']['history'] = await strata.users.history.query({ userId: carol.userId });
const then = await strata.users.asOf.query({ userId: carol.userId, version: 1 });
let refused = '';
try {
  await strata.users.changeRole.mutate({ userId: carol.userId, role: 'viewer', expectedVersion: 1 });
} catch (error) {
  if (isTRPCClientError(error)) refused = String(error.data?.code);
}

/** Never called: checks that the router's types reached this script (an \`any\` would let both through). */
function typesReachTheScript() {
  // @ts-expect-error: the api has no such role
  void strata.users.create.mutate({ ...input, role: 'owner' });
  // @ts-expect-error: a mutation's result has no such field
  void carol.nope;
}
void typesReachTheScript;

console.log(
  JSON.stringify({
    version: changed.version,
    types: history.map((event) => event.type),
    roleThen: then.exists ? then.user.role : null,
    refused,
  }),
);
`;

describe('the packed SDK installed outside the monorepo', () => {
  let work: string;
  let project: string;
  /** What tsc said about the script (it emits out/script.mjs either way). */
  let typeCheck: string;
  /** What tsc said with every declaration file checked too. */
  let libCheck: string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'strata-sdk-'));
    project = path.join(work, 'project');
    // `prepack` builds dist/ first, as it does before a publish.
    await run(npm, ['pack', '--pack-destination', work], { cwd: clientDir, maxBuffer: 64 * 1024 * 1024 });
    const [tarball] = readdirSync(work).filter((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack left no tarball in ${work}`);

    // An empty project of its own: no workspace, no node_modules above it.
    mkdirSync(project);
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'sdk-user', private: true, type: 'module' }),
    );
    await run(npm, ['install', path.join(work, tarball), '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: project,
      maxBuffer: 64 * 1024 * 1024,
    });
    writeFileSync(path.join(project, 'script.mts'), script);
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023', 'DOM'],
          types: [],
          strict: true,
          skipLibCheck: true,
          outDir: 'out',
        },
        files: ['script.mts'],
      }),
    );
    // No tsconfig paths, no monorepo: the installed .d.ts must carry the router's types itself.
    const tscSays = (...args: string[]) =>
      run(process.execPath, [tsc, '-p', 'tsconfig.json', ...args], { cwd: project }).then(
        () => '',
        (error: { stdout: string }) => error.stdout || String(error),
      );
    typeCheck = await tscSays();
    libCheck = await tscSays('--skipLibCheck', 'false', '--noEmit');
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('has only dist/ and package.json in the tarball, and the script type-checks against it alone', async () => {
    const { stdout } = await run(npm, ['ls', '--all', '--parseable'], { cwd: project });
    const installed = stdout.split('\n').map((line) => path.relative(project, line));
    expect(installed.filter((p) => p.includes('@strata/') && p !== 'node_modules/@strata/client')).toEqual([]);
    const packaged = readdirSync(path.join(project, 'node_modules/@strata/client')).sort();
    expect(packaged).toEqual(['dist', 'package.json']);
    expect(typeCheck).toBe('');
  });

  it('has declarations that type-check themselves, referring to no package it does not depend on', () => {
    // @trpc/server's own declarations want @types/node, ws and lib esnext.disposable, whoever
    // uses them; everything else — the SDK's .d.ts with the router inside — must be clean.
    const errors = libCheck.split('\n').filter((line) => /error TS/.test(line));
    expect(errors.filter((line) => !line.startsWith('node_modules/@trpc/server/'))).toEqual([]);
    const installed = path.join(project, 'node_modules/@strata/client');
    const { dependencies } = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
    const declarations = readFileSync(path.join(installed, 'dist/index.d.mts'), 'utf8');
    const imported = [...declarations.matchAll(/\bfrom\s*"([^"]+)"|\bimport\("([^"]+)"\)/g)].map(
      (match) => (match[1] ?? match[2]) as string,
    );
    const packageName = (s: string) =>
      s
        .split('/')
        .slice(0, s.startsWith('@') ? 2 : 1)
        .join('/');
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.filter((s) => !(packageName(s) in dependencies))).toEqual([]);
  });

  for (const engine of testEngines()) {
    it.skipIf(engine.unavailable)(`runs with plain node against the api on ${engine.name}`, async () => {
      const api = await startTestApi(engine.name);
      try {
        const { stdout } = await run(process.execPath, ['out/script.mjs', api.url, api.oneTimePassword], {
          cwd: project,
        });
        expect(JSON.parse(stdout)).toEqual({
          version: 2,
          types: ['UserCreated', 'UserRoleChanged'],
          roleThen: 'viewer',
          refused: 'CONFLICT',
        });
      } finally {
        await api.stop();
      }
    });
  }
});
