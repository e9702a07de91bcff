import { parseArgs } from 'node:util';

export const usage = `Strata api

Usage: npm run start --workspace @strata/api -- [options]

Options:
  --port <n>        port to listen on (default: API_PORT, PORT or 4000)
  --host <addr>     address to bind (default: 127.0.0.1)
  --data-dir <dir>  PGlite data folder when DATABASE_URL is unset (default: DATA_DIR or ./.data)
  --init-admin      print a new one-time password for the first admin (only while none exists)
  --demo            create demo users alice (admin) and bob (viewer) and print their passwords
  --help            show this help

Environment: DATABASE_URL, API_PORT, DATA_DIR, WEB_ORIGIN, LOG_LEVEL, SNAPSHOT_EVERY, SESSION_TTL_HOURS
`;

export interface ApiCliOptions {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  initAdmin: boolean;
  demo: boolean;
  help: boolean;
  webOrigins: string[];
  snapshotEvery: number;
  sessionTtlMs: number;
}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): ApiCliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'init-admin': { type: 'boolean', default: false },
      demo: { type: 'boolean', default: false },
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
    webOrigins: (env.WEB_ORIGIN ?? 'http://localhost:3000,http://127.0.0.1:3000')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    snapshotEvery: positiveInteger('SNAPSHOT_EVERY', env.SNAPSHOT_EVERY, 100),
    sessionTtlMs: positiveInteger('SESSION_TTL_HOURS', env.SESSION_TTL_HOURS, 12) * 60 * 60 * 1000,
  };
}
