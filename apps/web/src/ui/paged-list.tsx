'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { type CursorPaging, Pager } from './paging';
import { ErrorState, LoadingState } from './states';

export interface PagedListProps<Row> {
  /** A page of rows and its paging, as `usePagedQuery` gives them. */
  list: {
    query: UseQueryResult<{ items: Row[]; nextCursor?: string | null }, unknown>;
    paging: CursorPaging;
  };
  /** What the rows are, in the plural: "Loading users…", "Could not load users". */
  what: string;
  /** Shown when the page has no rows: there are none yet, or none match the filters. */
  empty: ReactNode;
  /** The rows, `dimmed` while the next page loads. */
  children: (rows: Row[], dimmed: boolean) => ReactNode;
}

/** A page of a list: loading, failed (with a retry), empty, or its rows; Previous / Next below. */
export function PagedList<Row>({ list: { query, paging }, what, empty, children }: PagedListProps<Row>) {
  return (
    <>
      {query.isPending ? (
        <LoadingState label={`Loading ${what}…`} />
      ) : query.isError ? (
        <ErrorState title={`Could not load ${what}`} error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        empty
      ) : (
        children(query.data.items, query.isPlaceholderData)
      )}
      <Pager
        page={paging.page}
        nextCursor={query.data?.nextCursor}
        busy={query.isPlaceholderData}
        onNext={() => paging.next(query.data?.nextCursor)}
        onPrevious={paging.previous}
      />
    </>
  );
}
