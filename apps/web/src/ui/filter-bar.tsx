import type { ReactNode } from 'react';
import { cn } from './cn';

/**
 * The filter fields above a list. They apply as they change, so submitting (Enter in the search
 * box) does nothing. `columns`: the grid's Tailwind columns, per width.
 */
export function FilterBar({
  label,
  columns = 'grid-cols-1',
  children,
}: {
  /** "Filter users": names the form for screen readers. */
  label: string;
  columns?: string;
  children: ReactNode;
}) {
  return (
    <form
      aria-label={label}
      className={cn('grid gap-3 border-b border-zinc-200 p-4 sm:px-5', columns)}
      onSubmit={(event) => event.preventDefault()}
    >
      {children}
    </form>
  );
}
