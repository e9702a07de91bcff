import { z } from 'zod';
import { inputLimits } from '../limits.ts';
import { text } from './text.ts';

export { inputLimits };

/** Every mutation may carry a client-chosen command id; a retry with it appends nothing. */
export const commandIdSchema = text({ max: 100, label: 'commandId' }).min(8, {
  error: 'commandId must be at least 8 characters',
});

/** A stream's version as a caller names it: it must fit the `integer` column it is compared with. */
export const versionSchema = z
  .int({ error: 'version must be a whole number' })
  .min(1, { error: 'version must be at least 1' })
  .max(inputLimits.maxVersion, { error: `version is at most ${inputLimits.maxVersion}` });
export const expectedVersionSchema = z
  .int({ error: 'expectedVersion must be a whole number' })
  .min(0, { error: 'expectedVersion cannot be negative' })
  .max(inputLimits.maxVersion, { error: `expectedVersion is at most ${inputLimits.maxVersion}` });

/** A position in the log, from 0 (before the first event). */
export const positionSchema = z
  .int({ error: 'position must be a whole number' })
  .min(0, { error: 'position cannot be negative' })
  .max(inputLimits.maxPosition, { error: `position is at most ${inputLimits.maxPosition}` });
/** Read-your-writes: wait until the read model has passed this position. */
export const minPositionSchema = positionSchema.optional();

/** A date an input names (or a string or number that makes one), within {@link inputLimits}. */
export const dateSchema = z.coerce
  .date({ error: 'must be a date' })
  .min(new Date(inputLimits.minDate), { error: 'the date must be in 1970 or later' })
  .max(new Date(inputLimits.maxDate), { error: 'the date must be in 9999 or earlier' });

/** Filters and searches: long enough for any real one, bounded so none is a way to send megabytes. */
export const searchSchema = text({ max: 200, label: 'search' });

/** An opaque list cursor as handed out with a page; the api decodes and checks it. */
export const cursorSchema = text({ max: 500, label: 'cursor' });

/** A page size between 1 and `max`. */
export const limitSchema = (fallback: number, max = 100) =>
  z
    .int({ error: 'limit must be a whole number' })
    .min(1, { error: 'limit must be at least 1' })
    .max(max, { error: `limit is at most ${max}` })
    .default(fallback);

export const mutationOptions = {
  commandId: commandIdSchema.optional(),
};
export const existingStreamMutationOptions = {
  commandId: commandIdSchema.optional(),
  expectedVersion: expectedVersionSchema.optional(),
};

export const idSchema = z.uuid({ error: 'must be a UUID' });
