import {
  InvalidAppendError,
  isDatabaseUnavailable,
  ProjectionTimeoutError,
  RebuildInProgressError,
  WrongExpectedVersionError,
} from '@strata/db';
import { DomainError } from '@strata/domain';
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

function domainErrorCode(error: DomainError): TRPC_ERROR_CODE_KEY {
  if (error.code.endsWith('.not_found')) return 'NOT_FOUND';
  if (error.code === 'auth.throttled') return 'TOO_MANY_REQUESTS';
  return 'PRECONDITION_FAILED';
}

/**
 * The one error mapper: every failure leaves the api as a typed tRPC error. Unknown errors
 * become INTERNAL_SERVER_ERROR with a generic message (the details go to the log only).
 */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) {
    // tRPC wraps what a resolver or createContext threw as INTERNAL_SERVER_ERROR with the original's
    // message (SQL and parameters, for a database error): map the original instead.
    if (error.code !== 'INTERNAL_SERVER_ERROR') return error;
    return error.cause
      ? toTRPCError(error.cause)
      : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'internal error' });
  }
  if (error instanceof DomainError)
    return new TRPCError({ code: domainErrorCode(error), message: error.message, cause: error });
  if (error instanceof WrongExpectedVersionError) {
    return new TRPCError({
      code: 'CONFLICT',
      message: `someone else changed this first: it is at version ${error.actual}, you expected ${error.expected}`,
      cause: error,
    });
  }
  if (error instanceof InvalidAppendError)
    return new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
  if (error instanceof ProjectionTimeoutError) {
    return new TRPCError({ code: 'TIMEOUT', message: error.message, cause: error });
  }
  if (error instanceof RebuildInProgressError) {
    return new TRPCError({ code: 'CONFLICT', message: error.message, cause: error });
  }
  if (isDatabaseUnavailable(error)) {
    // Nothing the caller did: the same call may succeed in a moment (the SDK's data says so).
    return new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the database is unavailable; try again shortly',
      cause: error instanceof Error ? error : undefined,
    });
  }
  return new TRPCError({
    code: 'INTERNAL_SERVER_ERROR',
    message: 'internal error',
    cause: error instanceof Error ? error : undefined,
  });
}

/** Field errors from a zod (or any standard-schema) failure: `{ 'lines.0.sku': ['…'] }`. */
export function fieldErrorsOf(cause: unknown): Record<string, string[]> | undefined {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return undefined;
  const fields: Record<string, string[]> = {};
  for (const issue of issues as { path?: readonly (PropertyKey | { key: PropertyKey })[]; message: string }[]) {
    const key = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.') || '(input)';
    fields[key] = [...(fields[key] ?? []), issue.message];
  }
  return fields;
}
