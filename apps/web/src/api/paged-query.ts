import { keepPreviousData, type QueryKey, type UseQueryOptions, useQuery } from '@tanstack/react-query';
import { useCursorPaging } from '../ui/paging';
import { useReadYourWrites } from './read-your-writes';

/** What a list procedure is asked for one page: after which row, how many, and how fresh. */
export interface PageRequest {
  cursor: string | undefined;
  limit: number;
  minPosition: number | undefined;
}

/**
 * One page of a list procedure that answers `{ items, nextCursor }`, with its cursor paging.
 * A new `filterKey` starts over from the first page; while the next page loads, the one before
 * stays shown (`isPlaceholderData`), so the list does not jump.
 */
export function usePagedQuery<TData extends { nextCursor?: string | null }, TError, TKey extends QueryKey>(
  filterKey: string,
  pageSize: number,
  options: (page: PageRequest) => UseQueryOptions<TData, TError, TData, TKey>,
) {
  const { minPosition } = useReadYourWrites();
  const paging = useCursorPaging(filterKey);
  const query = useQuery({
    ...options({ cursor: paging.cursor, limit: pageSize, minPosition }),
    placeholderData: keepPreviousData,
  });
  return { query, paging };
}
