import { currentCheckpoint, subscribe } from '@strata/db';
import { parseCommand, parsePosition } from '../args.ts';
import { eventJson, eventLine } from '../event-lines.ts';
import { exitQuietlyOnClosedPipe, writeLine } from '../output.ts';
import { describeTarget, targetOf, withDatabase } from '../target.ts';
import { checkpointAfter, eventFilterOptions, filtersOf } from './event-filters.ts';

const stopSignals = ['SIGINT', 'SIGTERM'] as const;

/**
 * `strata events tail`: every event as it commits, in commit order, until SIGINT/SIGTERM. It says
 * on stderr where it starts and, when stopped, the position to pass as `--after` to continue.
 */
export async function eventsTailCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(args, { ...eventFilterOptions, json: { type: 'boolean' } });
  const afterPosition = parsePosition('--after', values.after);
  const format = values.json ? eventJson : eventLine;
  const target = targetOf(values);
  exitQuietlyOnClosedPipe();
  let last: number | undefined;
  await withDatabase(target, { existing: true }, async (database) => {
    const after =
      afterPosition === undefined
        ? await currentCheckpoint(database.db)
        : await checkpointAfter(database.db, afterPosition);
    const stopped = new Promise<NodeJS.Signals>((resolve) => {
      for (const signal of stopSignals) process.once(signal, () => resolve(signal));
    });
    let failing = false;
    const subscription = await subscribe(database, {
      ...filtersOf(values),
      after,
      onEvents: async (events) => {
        for (const event of events) {
          await writeLine(process.stdout, format(event));
          last = event.position;
        }
        if (failing) process.stderr.write('database reachable again\n');
        failing = false;
      },
      onError: (error) => {
        // It retries by itself, from the last event printed; say so once per outage.
        if (!failing) process.stderr.write(`database error, retrying: ${(error as Error).message}\n`);
        failing = true;
      },
    });
    const from = afterPosition === undefined ? 'now' : `after position ${afterPosition}`;
    process.stderr.write(`tailing events from ${from} on ${describeTarget(target)}; Ctrl+C to stop\n`);
    await stopped;
    await subscription.stop();
  });
  const resume =
    last !== undefined
      ? `stopped after position ${last}; continue with --after ${last}`
      : afterPosition !== undefined
        ? `stopped; no new events: continue with --after ${afterPosition}`
        : 'stopped; no events arrived';
  process.stderr.write(`${resume}\n`);
}
