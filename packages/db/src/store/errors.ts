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
export function databaseErrorOf(
  error: unknown,
): { code?: string; detail?: string; constraint?: string; message: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const candidate = current as Error & {
      code?: unknown;
      detail?: unknown;
      constraint?: unknown;
      constraint_name?: unknown;
    };
    if (typeof candidate.code === 'string' && candidate.code.length === 5) {
      // postgres.js names it constraint_name, PGlite constraint.
      const constraint = candidate.constraint_name ?? candidate.constraint;
      return {
        code: candidate.code,
        message: candidate.message,
        ...(typeof candidate.detail === 'string' ? { detail: candidate.detail } : {}),
        ...(typeof constraint === 'string' ? { constraint } : {}),
      };
    }
    current = candidate.cause;
  }
  return undefined;
}

/**
 * Keys two appenders can only both claim by racing: a command id a concurrent batch committed
 * first, or (should a writer ever go around the stream locks) a stream or version.
 */
const racedKeys = new Set(['command_results_pkey', 'streams_pkey', 'events_stream_version_key']);

/**
 * The append lost a race and rolled back whole: a deadlock, a serialisation failure, or a key a
 * concurrent append committed first. Running it again gives the answer it would have had after
 * the other one (a duplicate command, a conflict, or success).
 */
export function isRetryableAppendError(error: unknown): boolean {
  const found = databaseErrorOf(error);
  if (!found?.code) return false;
  if (found.code === '40001' || found.code === '40P01') return true;
  return found.code === '23505' && found.constraint !== undefined && racedKeys.has(found.constraint);
}

/** The driver's codes for a connection that is gone or could not be made (postgres.js, Node). */
const connectionLostCodes = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * True when the database could not be reached or dropped the connection (a restart, a fail-over,
 * a terminated backend), as opposed to refusing the statement: the caller may retry the same call
 * once the database is back. SQLSTATE classes 08 (connection exception) and 57P0x (the server is
 * shutting down or starting up) count too.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') {
      if (connectionLostCodes.has(code)) return true;
      if (code.length === 5 && (code.startsWith('08') || /^57P0[1-4]$/.test(code))) return true;
    }
    current = (current as Error & { cause?: unknown }).cause;
  }
  return false;
}
