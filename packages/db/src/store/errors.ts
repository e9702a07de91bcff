import type { z } from 'zod';
import type { ExpectedVersion } from './types.ts';

/** Every error the store raises on purpose carries a stable code. */
export class StoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A stream was not at the version the writer expected; nothing was written. */
export class WrongExpectedVersionError extends StoreError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super('store.wrong_expected_version', `stream ${streamId} is at version ${actual}, expected ${expected}`);
  }
}

/** The append request itself was malformed; nothing was written. */
export class InvalidAppendError extends StoreError {
  constructor(readonly issues: z.core.$ZodIssue[]) {
    super(
      'store.invalid_append',
      `invalid append: ${issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
}

/** Finds the driver's PostgreSQL error behind Drizzle's wrapper, if there is one. */
export function databaseErrorOf(error: unknown): { code?: string; detail?: string; message: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const candidate = current as Error & { code?: unknown; detail?: unknown };
    if (typeof candidate.code === 'string' && candidate.code.length === 5) {
      return {
        code: candidate.code,
        message: candidate.message,
        ...(typeof candidate.detail === 'string' ? { detail: candidate.detail } : {}),
      };
    }
    current = candidate.cause;
  }
  return undefined;
}
