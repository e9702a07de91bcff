import { currentCheckpoint, readAll } from '@strata/db';
import { parseCommand, parsePosition } from '../args.ts';
import { eventJson } from '../event-lines.ts';
import { count, exitQuietlyOnClosedPipe, writeLine } from '../output.ts';
import { targetOf, withDatabase } from '../target.ts';
import { checkpointAfter, eventFilterOptions, filtersOf } from './event-filters.ts';

const pageSize = 1000;

/**
 * `strata events export --after N`: every event committed after the event at N when the export
 * starts, one JSON line each, read a page at a time; events committed meanwhile are left for the
 * next export (`--after` the last position, printed to stderr).
 */
export async function eventsExportCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(args, eventFilterOptions);
  const afterPosition = parsePosition('--after', values.after) ?? 0;
  const filters = filtersOf(values);
  exitQuietlyOnClosedPipe();
  const { exported, last } = await withDatabase(targetOf(values), { existing: true }, async (database) => {
    const db = database.db;
    let checkpoint = await checkpointAfter(db, afterPosition);
    // Everything that had committed when the export began: its end does not move while writers write.
    const end = BigInt((await currentCheckpoint(db)).transactionId);
    let exported = 0;
    let last = afterPosition;
    for (;;) {
      const page = await readAll(db, { ...filters, after: checkpoint, limit: pageSize });
      for (const event of page.events) {
        if (BigInt(event.transactionId) > end) return { exported, last };
        await writeLine(process.stdout, eventJson(event));
        exported++;
        last = event.position;
      }
      if (page.events.length < pageSize) return { exported, last };
      checkpoint = page.checkpoint;
    }
  });
  process.stderr.write(
    `exported ${count(exported)} events after position ${afterPosition}; the last is at position ${last} (continue with --after ${last})\n`,
  );
}
