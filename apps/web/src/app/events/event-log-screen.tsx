'use client';

import { useState } from 'react';
import type { EventView } from '../../api/trpc';
import { Button } from '../../ui/button';
import { Card, EmptyState, ErrorState, LoadingState, PageHeader } from '../../ui/states';
import { EventDetailDialog } from './event-detail-dialog';
import { EventFilterForm } from './event-filter-form';
import { EventTable } from './event-table';
import { LiveBar } from './live-bar';
import { type LogFilters, noFilters } from './log-filters';
import { useEventLog } from './use-event-log';

export type { LogFilters } from './log-filters';

/** Every event, newest first, filtered, a page at a time, with the live tail on the newest page. */
export function EventLogScreen({ initialFilters }: { initialFilters: LogFilters }) {
  const { filters, setFilters, filtered, page, items, arrived, live, paging } = useEventLog(initialFilters);
  const [opened, setOpened] = useState<EventView | null>(null);

  return (
    <>
      <PageHeader
        title="Events"
        description="Every change ever made, newest first. Nothing here is ever edited or deleted."
      />
      <Card>
        <EventFilterForm filters={filters} onChange={setFilters} events={items} />
        <LiveBar
          status={live.status}
          onNewestPage={paging.onNewestPage}
          onPause={live.pause}
          onResume={live.resume}
          onNewest={paging.newest}
        />

        {page.isPending ? (
          <LoadingState label="Loading events…" />
        ) : page.isError ? (
          <ErrorState title="Could not load events" error={page.error} onRetry={() => void page.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState
            title={filtered ? 'No events match these filters' : 'No events yet'}
            action={filtered ? <Button onClick={() => setFilters(noFilters)}>Clear filters</Button> : null}
          >
            {filtered
              ? 'Loosen a filter, or wait: matching events appear here as they happen.'
              : 'Events appear here as soon as anything changes.'}
          </EmptyState>
        ) : (
          <EventTable events={items} arrived={arrived} onOpen={setOpened} dimmed={page.isPlaceholderData} />
        )}

        {page.data && (!paging.onNewestPage || paging.hasOlder) ? (
          <nav
            aria-label="Pages"
            className="flex items-center justify-between gap-3 border-t border-zinc-200 px-4 py-3 text-sm sm:px-5"
          >
            <span className="text-zinc-600">{paging.onNewestPage ? 'Newest events' : `Page ${paging.number}`}</span>
            <div className="flex gap-2">
              <Button size="sm" disabled={paging.onNewestPage} onClick={paging.newer}>
                Newer
              </Button>
              <Button size="sm" disabled={!paging.hasOlder || page.isPlaceholderData} onClick={paging.older}>
                Older
              </Button>
            </div>
          </nav>
        ) : null}
      </Card>
      {opened ? (
        <EventDetailDialog
          event={opened}
          onClose={() => setOpened(null)}
          onFilterStream={(streamId) => {
            setOpened(null);
            setFilters({ ...noFilters, streamId });
          }}
        />
      ) : null}
    </>
  );
}
