#!/usr/bin/env node
// Starts Strata: the api (embedded PGlite in ./.data unless DATABASE_URL is set) and the admin
// web app beside it. `npm start` builds the web app first; `npm run dev` runs it with hot reload;
// `npm run start:prod` runs what `npm run build` compiled (no tsx, no build step, no dev tools).
// Flags other than --dev/--prod go to the api (--demo, --data-dir <dir>, --init-admin, --port <n>).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'apps/web');

const usage = `Strata: the api and the admin web app

Usage: npm start [-- api options]             build the web app, then serve both
       npm run dev [-- api options]           both in development mode, with hot reload
       npm run start:prod [-- api options]    both from \`npm run build\`'s output (compiled api,
                                              standalone web server)

Api options: --demo, --data-dir <dir>, --init-admin, --port <n>, --host <addr> (see the api's --help)

Environment:
  PORT          the web app's port (default 3000)
  WEB_HOST      the address the web app binds (default: all of them)
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
const prod = argv.includes('--prod');
const apiArgs = argv.filter((arg) => arg !== '--dev' && arg !== '--prod');

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

/** What `npm run build` makes: the compiled api and Next's standalone server. */
const compiledApi = path.join(root, 'apps/server/dist/main.mjs');
const standaloneWeb = path.join(webDir, '.next/standalone/apps/web/server.js');
const nextBin = () => {
  const nextPackage = createRequire(path.join(webDir, 'package.json')).resolve('next/package.json');
  return path.join(path.dirname(nextPackage), 'dist/bin/next');
};

// --- build -------------------------------------------------------------------------------
if (prod) {
  const missing = [compiledApi, standaloneWeb].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    process.stderr.write(
      `No production build (${missing.map((f) => path.relative(root, f)).join(', ')}): run \`npm run build\` first.\n`,
    );
    process.exit(1);
  }
} else if (!dev) {
  say(`Building the web app (next build)…`);
  const build = spawnSync(process.execPath, [nextBin(), 'build'], { cwd: webDir, stdio: 'inherit', env });
  const assets =
    build.status === 0
      ? spawnSync(process.execPath, [path.join(webDir, 'scripts/standalone-assets.mjs')], { stdio: 'inherit', env })
      : build;
  if (assets.status !== 0) {
    process.stderr.write('\nThe web app did not build; see the output above.\n');
    process.exit(assets.status ?? 1);
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

run(
  'api',
  prod ? [compiledApi, ...apiArgs] : ['--import', 'tsx', path.join(root, 'apps/server/src/main.ts'), ...apiArgs],
  {
    cwd: root,
    env: { ...env, API_PORT: String(apiPort), WEB_ORIGIN: webOrigins },
  },
);
if (dev) {
  run('web', [nextBin(), 'dev', '--port', String(webPort)], {
    cwd: webDir,
    env: { ...env, PORT: String(webPort), API_URL: apiUrl },
  });
} else {
  // Next's standalone server (what `next build` made with output: 'standalone'); it reads PORT and
  // HOSTNAME, and HOSTNAME is often the machine's name in a container, so it is always set here.
  run('web', [standaloneWeb], {
    cwd: path.dirname(standaloneWeb),
    env: {
      ...env,
      PORT: String(webPort),
      HOSTNAME: env.WEB_HOST || '0.0.0.0',
      API_URL: apiUrl,
      NODE_ENV: 'production',
    },
  });
}

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
      `Strata is running${dev ? ' in development mode' : prod ? ' from the production build' : ''}.`,
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
