import { z } from 'zod';

// Without the `u` flag a regular expression sees UTF-16 code units, so it can find a high surrogate
// not followed by a low one, and a low one not preceded by a high one.
const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `value` is well-formed UTF-16: every surrogate is half of a pair. */
export function isWellFormedText(value: string): boolean {
  return !unpairedSurrogate.test(value);
}

export interface TextOptions {
  /** The most UTF-16 code units allowed (after trimming, with `trim`). */
  max: number;
  /** Cut surrounding white space before any check. */
  trim?: boolean;
  /** How messages name the value, e.g. `title`. */
  label?: string;
}

/**
 * The one schema of a string input: at most `max` characters, no NUL character and well-formed
 * UTF-16 (no unpaired surrogate). PostgreSQL's text refuses NUL and its jsonb refuses both, so
 * text that passes here can be stored, searched and compared anywhere without the database
 * failing on it. Chain a field's own rules (`min`, `regex`, `refine`) after it.
 */
export function text({ max, trim = false, label = 'text' }: TextOptions) {
  return (trim ? z.string().trim() : z.string())
    .max(max, { error: `${label} is at most ${max} characters`, abort: true })
    .refine((value) => !value.includes('\u0000'), {
      error: `${label} cannot contain a NUL character (\\u0000)`,
      abort: true,
    })
    .refine(isWellFormedText, {
      error: `${label} is not well-formed text: it has an unpaired UTF-16 surrogate`,
      abort: true,
    });
}
