import { MasterKeyError } from '@strata/db';
import { parseCli, usage } from './cli.ts';
import { runApi } from './serve.ts';

async function main() {
  let options: ReturnType<typeof parseCli>;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(usage);
    return;
  }
  await runApi(options);
}

main().catch((error: unknown) => {
  // A key problem is the operator's to fix, and the message says how: no stack to wade through.
  const why = error instanceof MasterKeyError ? error.message : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`strata api failed to start: ${why}\n`);
  process.exit(1);
});
