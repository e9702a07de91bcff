/**
 * The servers the http scenario drives, each a child process started as a user would start it:
 * the api exactly as `npm start` runs it (`node --import tsx apps/server/src/main.ts --port <n>
 * --demo`, worker in the process unless `--no-worker`), and the bare tRPC floor. Their output goes
 * to a log file (its tail is shown when one fails to start); every child still running when this
 * process exits, however it exits, is SIGKILLed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const apiMain = join(repoRoot, 'apps/server/src/main.ts');
const floorMain = fileURLToPath(new URL('./bare-trpc-server.ts', import.meta.url));
const startTimeoutMs = 120_000;
const stopTimeoutMs = 10_000;

export interface ServerProcess {
  /** What the tables call it. */
  name: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** CPU time the process has used so far (user + system), in µs; undefined where /proc is missing. */
  cpuMicros(): number | undefined;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s; resolves once it has exited. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** A port nothing listens on right now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface ApiOptions {
  /** The throwaway PostgreSQL database, or undefined for PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /** PGlite's folder, when there is no `databaseUrl`. */
  dataDir: string;
  worker: boolean;
  logFile: string;
}

/** The api as `npm start` runs it, signed-in-ready with the demo users. */
export function startApi(options: ApiOptions): Promise<ServerProcess> {
  const env = { ...process.env };
  // The bench itself runs with DATABASE_URL set: PGlite needs it gone, as `npm start` without it.
  delete env.DATABASE_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const storage = options.databaseUrl ? [] : ['--data-dir', options.dataDir];
  const args = ['--demo', ...storage, ...(options.worker ? [] : ['--no-worker'])];
  const name = `api${options.worker ? '' : ' --no-worker'}`;
  // e.g. BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the api alone.
  const nodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return startServer(name, apiMain, args, env, '/trpc/system.health', options.logFile, nodeArgs);
}

/** The bare tRPC v11 server doing one INSERT per mutation in `databaseUrl`. */
export function startBareTrpc(databaseUrl: string, logFile: string): Promise<ServerProcess> {
  return startServer(
    'bare trpc',
    floorMain,
    [],
    { ...process.env, DATABASE_URL: databaseUrl },
    '/trpc/health',
    logFile,
    // As BENCH_API_NODE_ARGS, for the floor: profiles side by side say where the api's extra time goes.
    process.env.BENCH_FLOOR_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
  );
}

async function startServer(
  name: string,
  main: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  healthPath: string,
  logFile: string,
  nodeArgs: readonly string[] = [],
): Promise<ServerProcess> {
  killAllOnExit();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', main, '--port', String(port), ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
    await exited;
    clearTimeout(killer);
  };

  const deadline = performance.now() + startTimeoutMs;
  while (true) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited while starting (${child.signalCode ?? child.exitCode}):\n${tail(logFile)}`);
    }
    if (await answers(`${url}${healthPath}`)) return { name, url, stop, cpuMicros: () => cpuMicros(child.pid) };
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`${name} did not answer within ${startTimeoutMs / 1000} s:\n${tail(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** utime + stime from /proc/<pid>/stat, in clock ticks of 10 ms (Linux's USER_HZ is 100). */
function cpuMicros(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

/** The last lines a server wrote, for an error message. */
export function tail(logFile: string, lines = 30): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}
