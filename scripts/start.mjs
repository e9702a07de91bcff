#!/usr/bin/env node
// Starts Strata: the api (embedded PGlite in ./.data unless DATABASE_URL is set) and the admin
// web app beside it. `npm start` builds the web app first; `npm run dev` runs it with hot reload.
// Flags other than --dev go to the api (--demo, --data-dir <dir>, --init-admin, --port <n>).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'apps/web');

const usage = `Strata: the api and the admin web app

Usage: npm start [-- api options]      build the web app, then serve both
       npm run dev [-- api options]    both in development mode, with hot reload

Api options: --demo, --data-dir <dir>, --init-admin, --port <n>, --host <addr> (see the api's --help)

Environment:
  PORT          the web app's port (default 3000)
  API_PORT      the api's port (default 4000)
  API_URL       the api's address as the browser reaches it (default http://127.0.0.1:API_PORT)
  DATABASE_URL  use this PostgreSQL server instead of the embedded PGlite
  DATA_DIR      the PGlite data folder (default ./.data)
  WEB_ORIGIN    origins the api accepts browser calls from (default: the web app's)
`;

/** The environment this script was started with (what the api and the web app inherit too). */
const env = { ...process.env };
const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(usage);
  process.exit(0);
}
const dev = argv.includes('--dev');
const apiArgs = argv.filter((arg) => arg !== '--dev');

function flagValue(name) {
  const index = apiArgs.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
  if (index < 0) return undefined;
  const arg = apiArgs[index];
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : apiArgs[index + 1];
}

function port(name, value, fallback) {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    process.stderr.write(`${name} must be a port number, got "${value}"\n`);
    process.exit(2);
  }
  return n;
}

const webPort = port('PORT', env.PORT || undefined, 3000);
const apiPort = port('API_PORT', flagValue('--port') ?? (env.API_PORT || undefined), 4000);
const apiHost = flagValue('--host') ?? env.API_HOST ?? '127.0.0.1';
const apiUrl = env.API_URL || `http://${apiHost === '0.0.0.0' || apiHost === '::' ? '127.0.0.1' : apiHost}:${apiPort}`;
const webUrl = `http://localhost:${webPort}`;
const webOrigins = env.WEB_ORIGIN || `http://localhost:${webPort},http://127.0.0.1:${webPort}`;

const nextPackage = createRequire(path.join(webDir, 'package.json')).resolve('next/package.json');
const nextBin = path.join(path.dirname(nextPackage), 'dist/bin/next');

// --- build -------------------------------------------------------------------------------
if (!dev) {
  say(`Building the web app (next build)…`);
  const build = spawnSync(process.execPath, [nextBin, 'build'], { cwd: webDir, stdio: 'inherit', env });
  if (build.status !== 0) {
    process.stderr.write('\nThe web app did not build; see the output above.\n');
    process.exit(build.status ?? 1);
  }
}

// --- run -----------------------------------------------------------------------------------
const children = new Map();
let stopping = false;
let oneTimePassword = null;

function say(line) {
  process.stdout.write(`\x1b[1mstrata\x1b[0m │ ${line}\n`);
}

/** Runs a child in its own process group, so a signal reaches it (and its children) once. */
function run(name, args, options) {
  const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.set(name, child);
  prefixLines(child.stdout, name, process.stdout);
  prefixLines(child.stderr, name, process.stderr);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (stopping) {
      if (children.size === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    say(`${name} stopped (${signal ?? `exit code ${code}`}); stopping the rest.`);
    process.exitCode = code || 1;
    stop('SIGTERM');
  });
  return child;
}

function prefixLines(stream, name, out) {
  let buffered = '';
  let expectPassword = false;
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (name === 'api') {
        // Keep the first admin's one-time password to repeat it once everything is up.
        if (/one-time password/i.test(line)) expectPassword = true;
        else if (expectPassword && line.trim()) {
          oneTimePassword = line.trim();
          expectPassword = false;
        }
      }
      out.write(`${name === 'api' ? '\x1b[36m' : '\x1b[35m'}${name.padEnd(6)}\x1b[0m │ ${readableLog(line)}\n`);
    }
  });
}

/** The api logs JSON (pino); shown as `level message key=value …` for people. */
function readableLog(line) {
  if (!line.startsWith('{')) return line;
  try {
    const { level, time, msg, pid: _pid, hostname: _hostname, ...rest } = JSON.parse(line);
    const levels = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
    const fields = Object.entries(rest)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    const clock = time ? new Date(time).toLocaleTimeString() : '';
    return `${clock} ${levels[level] ?? level} ${msg ?? ''} ${fields}`.trim();
  } catch {
    return line;
  }
}

function stop(signal) {
  if (stopping && signal !== 'SIGKILL') return;
  stopping = true;
  if (children.size === 0) process.exit(process.exitCode ?? 0);
  for (const child of children.values()) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  }
  if (signal !== 'SIGKILL') setTimeout(() => stop('SIGKILL'), 10_000).unref();
}

process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('exit', () => {
  for (const child of children.values()) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

run('api', ['--import', 'tsx', path.join(root, 'apps/api/src/main.ts'), ...apiArgs], {
  cwd: root,
  env: { ...env, API_PORT: String(apiPort), WEB_ORIGIN: webOrigins },
});
run('web', [nextBin, dev ? 'dev' : 'start', '--port', String(webPort)], {
  cwd: webDir,
  env: { ...env, PORT: String(webPort), API_URL: apiUrl },
});

// --- ready ---------------------------------------------------------------------------------
async function answers(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.status < 500;
  } catch {
    return false;
  }
}

const started = Date.now();
while (!stopping && Date.now() - started < 180_000) {
  if ((await answers(`${apiUrl}/trpc/system.health`)) && (await answers(`${webUrl}/sign-in`))) {
    const dataDir = flagValue('--data-dir') ?? env.DATA_DIR ?? './.data';
    const storage = env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${dataDir}`;
    const lines = [
      '',
      `Strata is running${dev ? ' in development mode' : ''}.`,
      `  Admin UI  ${webUrl}`,
      `  API       ${apiUrl}`,
      `  Data      ${storage}`,
      oneTimePassword
        ? `  First run: open the admin UI and enter the one-time password ${oneTimePassword}`
        : '  Sign in with your account.',
      '  Stop with Ctrl+C.',
      '',
    ];
    for (const line of lines) say(line);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
if (!stopping && Date.now() - started >= 180_000)
  say(`Still waiting for ${apiUrl} and ${webUrl}; see the output above.`);
