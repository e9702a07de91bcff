import { type ClassValue, clsx } from 'clsx';
import { twMerge } from 'tailwind-merge';

/**
 * Class names for a component: conditional parts as clsx takes them, then merged by Tailwind's
 * rules so a later class wins over an earlier one of the same utility (`cn('px-3', 'px-5')` is
 * `px-5`). Components put their own classes first and the caller's `className` last, so the caller's
 * wins.
 */
export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs));
}
