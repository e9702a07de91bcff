import { type ChangeEvent, useState } from 'react';
import { useDebounced } from './use-debounced';

/**
 * The filters of a list, each a string ('' for "any"). Fields named in `typed` are typed into:
 * the list follows them trimmed, once typing pauses; the others (selects) apply at once.
 */
export function useListFilters<Filters extends Record<string, string>>(
  initial: Filters,
  typed: readonly (keyof Filters)[] = [],
) {
  const [values, setValues] = useState(initial);
  // One string for all typed fields, so the pause restarts only when their text changes.
  const typedText = useDebounced(JSON.stringify(typed.map((name) => (values[name] ?? '').trim())), 250);
  const settled: string[] = JSON.parse(typedText);
  const applied: Filters = { ...values };
  typed.forEach((name, index) => {
    applied[name] = (settled[index] ?? '') as Filters[typeof name];
  });

  return {
    /** What the fields show. */
    values,
    /** What the list is filtered by. */
    applied,
    /** Changes with `applied`: the paging starts over from the first page. */
    key: JSON.stringify(applied),
    /** Whether any filter narrows the list: an empty list then says "no match", not "none yet". */
    active: Object.values(applied).some(Boolean),
    /** `value` and `onChange` for the field of one filter. */
    field: <Name extends keyof Filters>(name: Name) => ({
      value: values[name],
      onChange: (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
        setValues((current) => ({ ...current, [name]: event.target.value as Filters[Name] })),
    }),
    clear: () => setValues(initial),
  };
}
