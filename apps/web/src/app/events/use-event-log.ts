'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTRPC } from '../../api/trpc';
import { useDebounced } from '../../ui/use-debounced';
import { type LogFilters, toApiFilters } from './log-filters';
import { useLiveEvents } from './use-live-events';

const pageSize = 50;

/**
 * The log as the screen shows it: filtered (the address keeps the filters), a page at a time
 * going back in time, and on the newest page the live tail on top of it.
 */
export function useEventLog(initialFilters: LogFilters) {
  const trpc = useTRPC();
  const [filters, setFilters] = useState(initialFilters);
  const applied = useDebounced(filters, 300);
  const apiFilters = useMemo(() => toApiFilters(applied), [applied]);
  const filterKey = JSON.stringify(apiFilters);
  // Older pages: each starts before the last position of the page above it. A new filter starts over.
  const [paging, setPaging] = useState<{ filterKey: string; before: number[] }>({ filterKey, before: [] });
  const before = paging.filterKey === filterKey ? paging.before : [];
  const beforePosition = before.at(-1);

  // The address keeps the filters, so a filtered log can be bookmarked or shared.
  useEffect(() => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(applied)) if (value.trim()) params.set(name, value.trim());
    const query = params.toString();
    window.history.replaceState(null, '', query ? `/events?${query}` : '/events');
  }, [applied]);

  const page = useQuery({
    ...trpc.events.list.queryOptions({ ...apiFilters, direction: 'backward', beforePosition, limit: pageSize }),
    placeholderData: keepPreviousData,
  });
  const onNewestPage = before.length === 0;
  const liveAllowed = onNewestPage && !apiFilters.to;
  const top = page.data && !page.isPlaceholderData ? page.data.items[0]?.position : undefined;
  // An empty newest page: new events are those after the head of the whole log.
  const health = useQuery({
    ...trpc.system.health.queryOptions(),
    enabled: liveAllowed && page.isSuccess && !page.isPlaceholderData && top === undefined,
  });
  const afterPosition = top ?? (page.data?.items.length === 0 ? health.data?.headPosition : undefined);
  const { from: _from, to: _to, ...tailFilters } = apiFilters;
  const live = useLiveEvents({ filters: tailFilters, afterPosition, enabled: liveAllowed });

  const items = useMemo(() => {
    const pageItems = page.data?.items ?? [];
    if (!liveAllowed || live.events.length === 0) return pageItems;
    const seen = new Set(pageItems.map((e) => e.position));
    return [...live.events.filter((e) => !seen.has(e.position)), ...pageItems];
  }, [page.data, live.events, liveAllowed]);
  const arrived = useMemo(() => new Set(live.events.map((e) => e.eventId)), [live.events]);
  const lastOnPage = page.data?.items.at(-1)?.position;
  const hasOlder = (page.data?.items.length ?? 0) === pageSize && lastOnPage !== undefined && lastOnPage > 1;

  return {
    filters,
    setFilters,
    /** Some filter is applied (not only typed). */
    filtered: Object.values(applied).some((v) => v.trim()),
    page,
    items,
    arrived,
    live,
    paging: {
      onNewestPage,
      number: before.length + 1,
      hasOlder,
      newest: () => setPaging({ filterKey, before: [] }),
      newer: () => setPaging({ filterKey, before: before.slice(0, -1) }),
      older: () => lastOnPage && setPaging({ filterKey, before: [...before, lastOnPage] }),
    },
  };
}
