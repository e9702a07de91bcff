import { readModels } from '@strata/api';
import { rebuildProjection } from '@strata/db';
import { domainEvents } from '@strata/domain';
import { parseCommand, UsageError } from '../args.ts';
import { count } from '../output.ts';
import { progressReporter } from '../progress.ts';
import { targetOf, withDatabase } from '../target.ts';

/** `strata projections rebuild NAME`, with a progress bar. */
export async function projectionsRebuildCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommand(args, {}, 1);
  const name = positionals[0];
  const { projections, reactors } = readModels(domainEvents);
  const names = projections.map((p) => p.name).join(', ');
  if (!name) throw new UsageError(`which projection? name one of: ${names}`);
  const projection = projections.find((p) => p.name === name);
  if (!projection) {
    if (reactors.some((r) => r.name === name)) {
      throw new UsageError(`${name} is a reactor: reactors act once per event and are not rebuilt`);
    }
    throw new UsageError(`unknown projection "${name}"; the projections are: ${names}`);
  }
  const { result, seconds } = await withDatabase(targetOf(values), { existing: true }, async (database) => {
    const progress = progressReporter(`rebuilding ${name}`);
    const started = performance.now();
    // A rebuild cannot be cancelled half-way cleanly: the first Ctrl+C says so, a second abandons it.
    const onSignal = () => {
      process.stderr.write(
        `\nthe rebuild of ${name} goes on until its new tables are swapped in; Ctrl+C again abandons it (the live tables stay as they are, and status shows it as running until the next rebuild)\n`,
      );
      process.once('SIGINT', () => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    try {
      const result = await rebuildProjection(database, projection, {
        onProgress: ({ eventsDone, eventsTotal }) => progress.update(eventsDone, eventsTotal),
      });
      return { result, seconds: (performance.now() - started) / 1000 };
    } finally {
      process.off('SIGINT', onSignal);
      progress.stop();
    }
  });
  process.stdout.write(
    `rebuilt ${name}: ${count(result.eventsTotal)} events in ${seconds.toFixed(1)} s (${count(result.eventsPerSecond)} events/s)\n`,
  );
}
