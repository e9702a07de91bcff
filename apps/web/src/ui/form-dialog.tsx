'use client';

import type { ReactNode } from 'react';
import { Button } from './button';
import { Dialog, DialogActions } from './dialog';
import { FormError } from './form-error';

interface FormDialogProps {
  title: string;
  description?: ReactNode;
  onClose: () => void;
  /** Runs on submit; the browser's own submission is prevented. */
  onSubmit: () => void;
  /** The fields, each showing its own errors. */
  children: ReactNode;
  submitLabel: ReactNode;
  submitVariant?: 'primary' | 'danger';
  /** While the write (or a reload after a conflict) runs. */
  busy: boolean;
  /** Nothing to submit yet: no change made, no owner chosen. */
  submitDisabled?: boolean;
  /**
   * Why the last submit failed. A conflict offers to reload `subject` (with `onReload`), field
   * errors stay beside their fields, anything else is one sentence above the buttons. Pass null
   * when a field already shows it in the form's own words.
   */
  error: unknown;
  subject?: string;
  onReload?: () => void;
  /** Domain refusals in the dialog's own words (null: the api's sentence). */
  describeError?: (error: unknown) => ReactNode | null;
  /** The dialog checks its fields itself (amounts, SKUs), instead of the browser. */
  noValidate?: boolean;
}

/** A dialog that is one form: its fields, what went wrong, then Cancel and the submit button. */
export function FormDialog({
  title,
  description,
  onClose,
  onSubmit,
  children,
  submitLabel,
  submitVariant = 'primary',
  busy,
  submitDisabled,
  error,
  subject,
  onReload,
  describeError,
  noValidate,
}: FormDialogProps) {
  return (
    <Dialog title={title} description={description} onClose={onClose}>
      <form
        className="flex flex-col gap-4"
        noValidate={noValidate}
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        {children}
        <FormError error={error} subject={subject} onReload={onReload} describe={describeError} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant={submitVariant} busy={busy} disabled={submitDisabled}>
            {submitLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
