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
  process.stderr.write(`strata api failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
