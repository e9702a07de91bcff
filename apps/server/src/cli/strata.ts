#!/usr/bin/env node
/**
 * The `strata` command: one entry for running (serve, worker, migrate) and operating (projections,
 * events, admin) a Strata installation. Each command lives in ./commands; this file only routes.
 */
import { UsageError } from './args.ts';
import { type HelpTopic, help } from './usage.ts';

interface Command {
  /** Loaded when asked for: \`events export\` need not load the http server. */
  load(): Promise<(args: string[]) => Promise<void>>;
  /** Keeps running after it resolves (a server, a worker). */
  longRunning?: boolean;
}

const commands: Record<string, Command> = {
  serve: {
    load: async () => {
      const { serveCommand } = await import('./commands/serve.ts');
      return (args) => serveCommand('serve', args);
    },
    longRunning: true,
  },
  worker: {
    load: async () => {
      const { serveCommand } = await import('./commands/serve.ts');
      return (args) => serveCommand('worker', args);
    },
    longRunning: true,
  },
  migrate: { load: async () => (await import('./commands/migrate.ts')).migrateCommand },
  'projections status': {
    load: async () => (await import('./commands/projections-status.ts')).projectionsStatusCommand,
  },
  'projections rebuild': {
    load: async () => (await import('./commands/projections-rebuild.ts')).projectionsRebuildCommand,
  },
  'events tail': { load: async () => (await import('./commands/events-tail.ts')).eventsTailCommand },
  'events export': { load: async () => (await import('./commands/events-export.ts')).eventsExportCommand },
  'admin create': { load: async () => (await import('./commands/admin-create.ts')).adminCreateCommand },
};
const groups = new Set(['projections', 'events', 'admin']);

const wantsHelp = (args: readonly string[]) => args.includes('--help') || args.includes('-h');

/** One line whatever went wrong: a driver's AggregateError has no message of its own. */
function oneLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = error instanceof AggregateError ? (error.errors[0] as Error | undefined) : undefined;
  const code = (error as NodeJS.ErrnoException).code;
  const message = error.message || inner?.message || code || error.name;
  const reach = ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'CONNECT_TIMEOUT'].includes(code ?? '');
  return (reach ? `cannot reach the database (DATABASE_URL): ${message}` : message).split('\n')[0] ?? '';
}

async function main(argv: string[]): Promise<void> {
  const [first, second] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    (first === undefined ? process.stderr : process.stdout).write(help.strata);
    if (first === undefined) process.exitCode = 2;
    return;
  }
  let name: string;
  let args: string[];
  if (groups.has(first)) {
    if (second === undefined || second.startsWith('-')) {
      if (wantsHelp(argv)) return void process.stdout.write(help[first as HelpTopic]);
      throw new UsageError(`strata ${first}: which command? (see strata ${first} --help)`);
    }
    name = `${first} ${second}`;
    args = argv.slice(2);
  } else {
    name = first;
    args = argv.slice(1);
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}" (see strata --help)`);
  if (wantsHelp(args)) return void process.stdout.write(help[name as HelpTopic]);
  try {
    await (await command.load())(args);
  } catch (error) {
    if (error instanceof UsageError)
      throw new UsageError(`strata ${name}: ${error.message} (see strata ${name} --help)`);
    throw new Error(`strata ${name}: ${oneLine(error)}`, { cause: error });
  }
  if (!command.longRunning) {
    // Done: nothing left to wait for, but a driver's idle timer must not hold the prompt back.
    setTimeout(() => process.exit(), 2000).unref();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message.startsWith('strata') ? '' : 'strata: '}${error.message}\n`);
    process.exit(2);
  }
  const cause = (error as Error).cause;
  process.stderr.write(`${oneLine(error)}\n`);
  if (process.env.STRATA_DEBUG && cause instanceof Error) process.stderr.write(`${cause.stack}\n`);
  process.exit(1);
});
