'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import {
  type DefaultValues,
  type FieldErrors,
  type FieldPath,
  type FieldValues,
  type UseFormReturn,
  useForm,
} from 'react-hook-form';
import type { z } from 'zod';
import { fieldErrorsOf } from '../../api/errors';

/**
 * A form checked by a zod schema, usually the domain's own input schema (or a part of it): the
 * messages under each field as the user types are the ones the api would answer, because they come
 * from the same schema. A field is checked once it has been left, then on every change; all of
 * them on submit. `onSubmit` gets the schema's output (trimmed, normalised, converted).
 */
export function useSchemaForm<Schema extends z.ZodType<unknown, FieldValues>>(
  schema: Schema,
  defaultValues: DefaultValues<z.input<Schema>>,
): UseFormReturn<z.input<Schema>, unknown, z.output<Schema>> {
  return useForm<z.input<Schema>, unknown, z.output<Schema>>({
    // The resolver's overloads cannot see through a generic schema; its output is Schema's.
    resolver: zodResolver(schema as never) as never,
    defaultValues,
    mode: 'onTouched',
  });
}

/**
 * The api's field errors (`data.fieldErrors`, keyed by path: `name`, `lines.0.sku`) put back under
 * the form's fields with `setError`, as if the form had found them. `fieldOf` maps an api path to
 * the form's own name where they differ (or to null to leave it to the form's notice). Returns
 * whether any was shown by a field.
 */
export function showServerErrors<Values extends FieldValues>(
  form: Pick<UseFormReturn<Values, unknown, unknown>, 'setError' | 'getValues'>,
  error: unknown,
  fieldOf: (path: string) => string | null = (path) => path,
): boolean {
  let shown = false;
  const values = form.getValues() as Record<string, unknown>;
  for (const [path, messages] of Object.entries(fieldErrorsOf(error))) {
    const field = fieldOf(path);
    if (!field || !(field.split('.')[0]! in values)) continue;
    form.setError(field as FieldPath<Values>, { type: 'server', message: messages.join(' ') }, { shouldFocus: !shown });
    shown = true;
  }
  return shown;
}

/** A field's message as the field components take it (`errors`), or undefined when it is fine. */
export function messagesOf(errors: FieldErrors, path: string): string[] | undefined {
  let at: unknown = errors;
  for (const key of path.split('.')) at = (at as Record<string, unknown> | undefined)?.[key];
  const message = (at as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && message ? [message] : undefined;
}
