import {
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from 'react';
import { cn } from './cn';

const control =
  'block w-full rounded-md border bg-white px-3 text-sm text-zinc-900 shadow-xs placeholder:text-zinc-500 disabled:bg-zinc-100 disabled:text-zinc-500';
const controlBorder = (invalid: boolean) => (invalid ? 'border-red-500' : 'border-zinc-300');

interface FieldFrameProps {
  id: string;
  label: string;
  /** For controls in a row under a visible column heading: the label is for screen readers only. */
  hideLabel?: boolean | undefined;
  hint?: ReactNode;
  errors?: readonly string[] | undefined;
  children: ReactNode;
}

/** A label above its control, a hint below it, and the field's errors (the form's or the api's) below that. */
function FieldFrame({ id, label, hideLabel, hint, errors, children }: FieldFrameProps) {
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className={hideLabel ? 'sr-only' : 'text-sm font-medium text-zinc-800'}>
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-zinc-600">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-xs font-medium text-red-700">
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, hint: unknown, errors: readonly string[] | undefined) {
  return [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  /** The control itself (react-hook-form's `register` passes one). */
  ref?: Ref<HTMLInputElement>;
  label: string;
  hideLabel?: boolean;
  hint?: ReactNode;
  errors?: readonly string[] | undefined;
}

export function TextField({ label, hideLabel, hint, errors, className, ...input }: TextFieldProps) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  return (
    <FieldFrame id={id} label={label} hideLabel={hideLabel} hint={hint} errors={errors}>
      <input
        id={id}
        className={cn(control, controlBorder(invalid), 'h-10', className)}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, hint, errors)}
        {...input}
      />
    </FieldFrame>
  );
}

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  ref?: Ref<HTMLSelectElement>;
  label: string;
  hint?: ReactNode;
  errors?: readonly string[] | undefined;
  options: readonly { value: string; label: string }[];
}

export function SelectField({ label, hint, errors, options, className, ...select }: SelectFieldProps) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors}>
      <select
        id={id}
        className={cn(control, controlBorder(invalid), 'h-10 pr-8', className)}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, hint, errors)}
        {...select}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  ref?: Ref<HTMLTextAreaElement>;
  label: string;
  hint?: ReactNode;
  errors?: readonly string[] | undefined;
}

export function TextAreaField({ label, hint, errors, className, ...textarea }: TextAreaFieldProps) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors}>
      <textarea
        id={id}
        className={cn(control, controlBorder(invalid), 'py-2 leading-relaxed', className)}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, hint, errors)}
        {...textarea}
      />
    </FieldFrame>
  );
}
