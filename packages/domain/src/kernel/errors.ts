/**
 * A domain rule that failed. `code` is stable (clients branch on it); `message` is for people.
 * Thrown by `decide`; the api maps it to PRECONDITION_FAILED (or NOT_FOUND for `*.not_found`).
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
