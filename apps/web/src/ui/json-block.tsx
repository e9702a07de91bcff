import { Fragment } from 'react';
import { ErasedBadge, isErased } from './erased';

/** Stands in for erased values while the JSON is written out; no real string holds a NUL. */
const marker = '\u0000erased\u0000';
const markerInJson = JSON.stringify(marker);

/**
 * A JSON value pretty-printed on a dark block (an event's payload or metadata). Erased personal data
 * shows as the erased badge, not as a string someone might take for a real value.
 */
export function JsonBlock({ title, value }: { title: string; value: unknown }) {
  const text = JSON.stringify(value, (_key, item) => (isErased(item) ? marker : item), 2) ?? 'undefined';
  const parts = text.split(markerInJson);
  return (
    <section className="mt-5">
      <h3 className="mb-1.5 text-sm font-semibold text-zinc-900">{title}</h3>
      <pre className="max-h-72 overflow-auto rounded-md bg-zinc-900 p-3 font-mono text-xs leading-relaxed text-zinc-100">
        {parts.map((part, index) => (
          // The parts of one rendering never move, so their place is their key.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <Fragment key={index}>
            {part}
            {index < parts.length - 1 ? (
              <ErasedBadge className="border-zinc-500 bg-zinc-800 py-0 font-sans text-zinc-300" />
            ) : null}
          </Fragment>
        ))}
      </pre>
    </section>
  );
}
