/** Settings read from the environment once, so every scenario measures on the same terms. */

export interface BenchConfig {
  /** How long each throughput measurement runs. */
  seconds: number;
  /** The PostgreSQL server to create throwaway databases on (any database on it). */
  serverUrl: string;
  /** True when the URL came from DATABASE_URL: then an unreachable server is an error, not a skip. */
  serverExplicit: boolean;
}

const defaultServerUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

export function readConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const raw = env.BENCH_SECONDS;
  const seconds = raw === undefined || raw === '' ? 5 : Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`BENCH_SECONDS must be a positive number of seconds, got ${JSON.stringify(raw)}`);
  }
  const url = env.DATABASE_URL;
  return { seconds, serverUrl: url || defaultServerUrl, serverExplicit: Boolean(url) };
}

/** Warm-up before each timed run: enough to open pool connections, short enough to stay cheap. */
export function warmupMs(config: BenchConfig): number {
  return Math.min(1000, config.seconds * 100);
}
