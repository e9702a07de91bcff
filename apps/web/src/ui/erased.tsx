import { ERASED } from '@strata/domain';
import type { ReactNode } from 'react';
import { cn } from './cn';

/**
 * `ERASED` is what the api shows for a forgotten person's personal data (name, email) in every
 * event, read model and answer: their data key is shredded, the value is gone for good.
 */
export const isErased = (value: unknown): value is typeof ERASED => value === ERASED;

/** The placeholder of erased personal data: a muted badge, never shown as if it were a value. */
export function ErasedBadge({ className }: { className?: string }) {
  return (
    <span
      className={cn(
        'inline-flex items-center rounded-full border border-dashed border-zinc-300 bg-zinc-50 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-zinc-500 italic',
        className,
      )}
      title="Erased: this person was forgotten"
    >
      erased
    </span>
  );
}

/** A personal value (a name, an email): itself, or the erased badge when it was erased. */
export function PersonalValue({ value, children }: { value: unknown; children?: ReactNode }) {
  if (isErased(value)) return <ErasedBadge />;
  return <>{children ?? String(value)}</>;
}

/** How a forgotten person is named where a name is expected (a list, a title, an owner). */
export const ERASED_PERSON = 'Erased person';

/** A person's name as a heading or link shows it: "Erased person" once they were forgotten. */
export const displayName = (name: string) => (isErased(name) ? ERASED_PERSON : name);

/** Who did something (an event's actor): their name, or a muted "Erased person" once forgotten. */
export function PersonName({ name, className }: { name: string; className?: string }) {
  if (!isErased(name)) return <span className={className}>{name}</span>;
  return <span className={cn(className, 'font-normal text-zinc-500 italic')}>{ERASED_PERSON}</span>;
}
