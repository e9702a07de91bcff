'use client';

import { useState } from 'react';
import { Button } from './button';

/**
 * Keyset paging for lists that answer `{ items, nextCursor }`: the cursors of the pages seen so
 * far (page n starts after cursors[n]). A new `filterKey` starts over from the first page.
 */
export function useCursorPaging(filterKey: string) {
  const [paging, setPaging] = useState<{ filterKey: string; cursors: (string | undefined)[] }>({
    filterKey,
    cursors: [undefined],
  });
  const cursors = paging.filterKey === filterKey ? paging.cursors : [undefined];
  const page = cursors.length - 1;
  return {
    page,
    cursor: cursors[page],
    next: (cursor: string | null | undefined) => cursor && setPaging({ filterKey, cursors: [...cursors, cursor] }),
    previous: () => setPaging({ filterKey, cursors: cursors.slice(0, -1) }),
  };
}

export type CursorPaging = ReturnType<typeof useCursorPaging>;

/** Previous / Next under a list; hidden when everything fits on one page. */
export function Pager({
  page,
  nextCursor,
  busy,
  onNext,
  onPrevious,
}: {
  page: number;
  nextCursor: string | null | undefined;
  busy?: boolean;
  onNext: () => void;
  onPrevious: () => void;
}) {
  if (page === 0 && !nextCursor) return null;
  return (
    <nav
      aria-label="Pages"
      className="flex items-center justify-between gap-3 border-t border-zinc-200 px-4 py-3 text-sm sm:px-5"
    >
      <span className="text-zinc-600">Page {page + 1}</span>
      <div className="flex gap-2">
        <Button size="sm" disabled={page === 0} onClick={onPrevious}>
          Previous
        </Button>
        <Button size="sm" disabled={!nextCursor || busy} onClick={onNext}>
          Next
        </Button>
      </div>
    </nav>
  );
}
