import { type AppRouter, TRPCClientError } from '@strata/client';

type ApiErrorData = NonNullable<TRPCClientError<AppRouter>['data']>;

/** The api's error details (`code`, `fieldErrors`, `domainCode`, `conflict`), or null for other errors. */
export function apiErrorData(error: unknown): ApiErrorData | null {
  if (!(error instanceof TRPCClientError)) return null;
  return ((error as TRPCClientError<AppRouter>).data as ApiErrorData | undefined) ?? null;
}

export const errorCodeOf = (error: unknown) => apiErrorData(error)?.code ?? null;

/** Field → messages from a BAD_REQUEST, plus domain rules that belong to one field. */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  const data = apiErrorData(error);
  if (!data) return {};
  if (data.domainCode === 'user.email_taken') return { email: ['Another user already has this email.'] };
  return data.fieldErrors ?? {};
}

/** Set when the api refused a change because the stream moved on since the form was filled in. */
export function conflictOf(error: unknown) {
  const data = apiErrorData(error);
  return data?.code === 'CONFLICT' ? (data.conflict ?? { streamId: '', expected: 0, actual: 0 }) : null;
}

/** One plain sentence for any failure. */
export function describeApiError(error: unknown, apiUrl?: string): string {
  if (!error) return 'Unknown error.';
  const data = apiErrorData(error);
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TRPCClientError && !data) {
    const where = apiUrl ? ` at ${apiUrl}` : '';
    return `The Strata api${where} cannot be reached. Check that it is running, then try again.`;
  }
  switch (data?.code) {
    case 'UNAUTHORIZED':
      return message === 'sign in first' ? 'Your session has ended. Sign in again.' : capitalise(message);
    case 'FORBIDDEN':
      return 'Only admins can change things. You are signed in as a viewer.';
    case 'CONFLICT':
      return 'Someone else changed this first. Reload to see their change, then try again.';
    case 'NOT_FOUND':
      return capitalise(message || 'Not found.');
    case 'BAD_REQUEST':
      return data.fieldErrors ? 'Some fields need attention.' : capitalise(message);
    case 'TIMEOUT':
      return 'The api took too long to catch up. Try again in a moment.';
    case 'INTERNAL_SERVER_ERROR':
      return 'The api failed unexpectedly. The details are in its log.';
    default:
      return capitalise(message);
  }
}

function capitalise(text: string): string {
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
