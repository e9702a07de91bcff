import { type Checkpoint, checkpointAt, type StrataDb } from '@strata/db';
import { UsageError } from '../args.ts';

/** The flags `events tail` and `events export` share. */
export const eventFilterOptions = {
  after: { type: 'string' },
  type: { type: 'string' },
  stream: { type: 'string' },
  'stream-type': { type: 'string' },
} as const;

export function filtersOf(values: { type?: string; stream?: string; 'stream-type'?: string }) {
  return { type: values.type, streamId: values.stream, streamType: values['stream-type'] };
}

/**
 * Where "after position N" stands in commit order: just after the event at N, so a reader that
 * stopped there continues with nothing missed or repeated (an event that took an earlier position
 * but committed later is still ahead of it).
 */
export async function checkpointAfter(db: StrataDb, position: number): Promise<Checkpoint> {
  try {
    return await checkpointAt(db, position);
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`--after ${position}: no event has that position`);
    throw error;
  }
}
