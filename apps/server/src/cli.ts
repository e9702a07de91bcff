import { parseArgs } from 'node:util';

export const usage = `Strata api

Usage: npm run start --workspace @strata/server -- [options]
       npm run worker --workspace @strata/server          (projection workers only, no http)
       npm run migrate --workspace @strata/server         (apply pending migrations, then exit)

Options:
  --port <n>        port to listen on (default: API_PORT, PORT or 4000)
  --host <addr>     address to bind (default: 127.0.0.1)
  --data-dir <dir>  PGlite data folder when DATABASE_URL is unset (default: DATA_DIR or ./.data)
  --init-admin      issue a new one-time password even if one is still valid (only while no admin exists)
  --demo            create demo users alice (admin) and bob (viewer) and print their passwords
  --no-worker       do not run projection workers in this process (PostgreSQL only; run
                    \`worker\` processes instead)
  --help            show this help

Environment: DATABASE_URL, STRATA_MASTER_KEY (required with DATABASE_URL: 32 bytes in base64,
             e.g. openssl rand -base64 32; on PGlite default: <data-dir>/master.key), API_PORT,
             DATA_DIR, WEB_ORIGIN, PUBLIC_URL, LOG_LEVEL, SNAPSHOT_EVERY, SESSION_TTL_HOURS,
             WORKER_BATCH_SIZE
`;

export interface ApiCliOptions {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  initAdmin: boolean;
  demo: boolean;
  help: boolean;
  /** `serve` (the api, with workers unless --no-worker), `worker` (workers only) or `migrate`. */
  command: 'serve' | 'worker' | 'migrate';
  runWorker: boolean;
  webOrigins: string[];
  snapshotEvery: number;
  sessionTtlMs: number;
  workerBatchSize: number;
}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): ApiCliOptions {
  const [first, ...rest] = argv;
  const command = first === 'worker' || first === 'migrate' ? first : 'serve';
  const { values } = parseArgs({
    args: command === 'serve' ? argv : rest,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'init-admin': { type: 'boolean', default: false },
      demo: { type: 'boolean', default: false },
      'no-worker': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  return {
    port: positiveInteger('--port', values.port ?? env.API_PORT ?? env.PORT, 4000),
    host: values.host ?? env.API_HOST ?? '127.0.0.1',
    dataDir: values['data-dir'] ?? env.DATA_DIR ?? './.data',
    databaseUrl: env.DATABASE_URL || undefined,
    initAdmin: values['init-admin'] ?? false,
    demo: values.demo ?? false,
    help: values.help ?? false,
    command,
    runWorker: command === 'worker' || !values['no-worker'] || !env.DATABASE_URL,
    webOrigins: (env.WEB_ORIGIN ?? 'http://localhost:3000,http://127.0.0.1:3000')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    snapshotEvery: positiveInteger('SNAPSHOT_EVERY', env.SNAPSHOT_EVERY, 100),
    sessionTtlMs: positiveInteger('SESSION_TTL_HOURS', env.SESSION_TTL_HOURS, 12) * 60 * 60 * 1000,
    workerBatchSize: positiveInteger('WORKER_BATCH_SIZE', env.WORKER_BATCH_SIZE, 500) || 500,
  };
}
