'use client';

import type { ReactNode } from 'react';
import { useApiUrl } from '../api/api-url';
import { conflictOf, describeApiError, fieldErrorsOf } from '../api/errors';
import { Button } from './button';
import { Notice } from './states';

/**
 * A form's error: field errors go beside their fields (the caller shows them), a conflict says
 * someone else changed `subject` first and offers to reload, anything else is one plain sentence.
 * `describe` turns domain refusals into the form's own words.
 */
export function FormError({
  error,
  subject,
  onReload,
  describe,
}: {
  error: unknown;
  /** "user", "article", "item": what someone else may have changed. */
  subject?: string;
  onReload?: () => void;
  describe?: (error: unknown) => ReactNode | null;
}) {
  const apiUrl = useApiUrl();
  if (!error) return null;
  const conflict = conflictOf(error);
  if (conflict && onReload)
    return <ConflictNotice subject={subject ?? 'this'} conflict={conflict} onReload={onReload} />;
  if (Object.keys(fieldErrorsOf(error)).length > 0) return null;
  const described = describe?.(error);
  if (described) return <Notice tone="error">{described}</Notice>;
  return <Notice tone="error">{describeApiError(error, apiUrl)}</Notice>;
}

export function ConflictNotice({
  subject,
  conflict,
  onReload,
  children,
}: {
  subject: string;
  conflict: { expected: number | string; actual: number };
  onReload: () => void;
  children?: ReactNode;
}) {
  return (
    <Notice
      tone="warning"
      title={`Someone else changed this ${subject}`}
      action={
        <Button size="sm" onClick={onReload}>
          Reload {subject}
        </Button>
      }
    >
      While you were editing, another change was saved (the {subject} is now at version {conflict.actual}; this form
      started from version {String(conflict.expected)}). Nothing of yours was saved.{' '}
      {children ?? 'Reload to see their change, then try again.'}
    </Notice>
  );
}
