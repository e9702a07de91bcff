/** What every scenario is handed and what it must provide. */
import type { BenchConfig } from './config.ts';
import type { Target } from './databases.ts';
import type { Report } from './report.ts';

export interface BenchContext {
  config: BenchConfig;
  /** The engines to measure Strata on; PostgreSQL is absent when no server answered. */
  targets: Target[];
  /** The PostgreSQL server, when one answered (scenarios that compare against other tools need it). */
  serverUrl: string | undefined;
  report: Report;
  /** Progress for people, on stderr so stdout stays JSON lines plus the final table. */
  log: (message: string) => void;
}

export interface Scenario {
  name: string;
  description: string;
  run(context: BenchContext): Promise<void>;
}
