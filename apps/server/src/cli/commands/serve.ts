import { type ApiCliOptions, parseCli } from '../../cli.ts';
import { runApi } from '../../serve.ts';
import { UsageError } from '../args.ts';
import { targetOf } from '../target.ts';

/**
 * `strata serve` and `strata worker`: what `npm start` and `npm run worker` run (the api's own
 * options and environment), with the data folder resolved as every strata command resolves it.
 */
export async function serveCommand(command: 'serve' | 'worker', args: string[]): Promise<void> {
  let options: ApiCliOptions;
  try {
    options = parseCli(command === 'worker' ? ['worker', ...args] : args);
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  if (command === 'serve' && (args[0] === 'worker' || args[0] === 'migrate')) {
    throw new UsageError(`unexpected argument "${args[0]}": run strata ${args[0]}`);
  }
  await runApi({ ...options, dataDir: targetOf({ 'data-dir': options.dataDir }).dataDir });
}
