'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ChangeEvent, useEffect, useMemo, useState } from 'react';
import { type EventFilters, type EventView, useTRPC } from '../../api/trpc';
import { Button } from '../../ui/button';
import { SelectField, TextField } from '../../ui/field';
import { Card, EmptyState, ErrorState, LoadingState, PageHeader } from '../../ui/states';
import { fromLocalInputValue, Timestamp } from '../../ui/time';
import { useDebounced } from '../../ui/use-debounced';
import { EventDetailDialog } from './event-detail-dialog';
import { readableEventType } from './event-type';
import { type LiveStatus, useLiveEvents } from './use-live-events';

/** The filter form as typed (strings); empty means "any". */
export interface LogFilters {
  type: string;
  streamType: string;
  streamId: string;
  actorId: string;
  /** `YYYY-MM-DDTHH:mm[:ss]`, local time. */
  from: string;
  to: string;
}

const noFilters: LogFilters = { type: '', streamType: '', streamId: '', actorId: '', from: '', to: '' };
const pageSize = 50;

function toApiFilters(filters: LogFilters): EventFilters {
  const text = (value: string) => value.trim() || undefined;
  return {
    type: text(filters.type),
    streamType: text(filters.streamType),
    streamId: text(filters.streamId),
    actorId: text(filters.actorId),
    from: fromLocalInputValue(filters.from),
    to: fromLocalInputValue(filters.to),
  };
}

export function EventLogScreen({ initialFilters }: { initialFilters: LogFilters }) {
  const trpc = useTRPC();
  const [filters, setFilters] = useState(initialFilters);
  const applied = useDebounced(filters, 300);
  const apiFilters = useMemo(() => toApiFilters(applied), [applied]);
  const filterKey = JSON.stringify(apiFilters);
  // Older pages: each starts before the last position of the page above it. A new filter starts over.
  const [paging, setPaging] = useState<{ filterKey: string; before: number[] }>({ filterKey, before: [] });
  const before = paging.filterKey === filterKey ? paging.before : [];
  const beforePosition = before.at(-1);
  const [opened, setOpened] = useState<EventView | null>(null);
  /** Narrow screens fold the filters away until asked for. */
  const [filtersOpen, setFiltersOpen] = useState(false);

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
  const live = useLiveEvents({
    filters: tailFilters,
    afterPosition,
    enabled: liveAllowed,
  });

  const items = useMemo(() => {
    const pageItems = page.data?.items ?? [];
    if (!liveAllowed || live.events.length === 0) return pageItems;
    const seen = new Set(pageItems.map((e) => e.position));
    return [...live.events.filter((e) => !seen.has(e.position)), ...pageItems];
  }, [page.data, live.events, liveAllowed]);
  // Filter choices: every event type the platform knows, the stream types seen, users as actors.
  const types = useQuery({ ...trpc.events.types.queryOptions(), staleTime: Number.POSITIVE_INFINITY });
  const typeOptions = useMemo(() => {
    const known = types.data ?? [];
    const all = filters.type && !known.includes(filters.type) ? [filters.type, ...known] : known;
    return [{ value: '', label: 'Any type' }, ...all.map((type) => ({ value: type, label: type }))];
  }, [types.data, filters.type]);
  const suggestions = useMemo(
    () => ({
      streamTypes: [
        ...new Set(['user', 'wallet', 'item', 'order', 'article', ...items.map((e) => e.streamType)]),
      ].sort(),
    }),
    [items],
  );
  const actors = useQuery({ ...trpc.users.list.queryOptions({ limit: 100 }), staleTime: 60_000 });
  const arrived = useMemo(() => new Set(live.events.map((e) => e.eventId)), [live.events]);
  const lastOnPage = page.data?.items.at(-1)?.position;
  const hasOlder = (page.data?.items.length ?? 0) === pageSize && lastOnPage !== undefined && lastOnPage > 1;
  const activeFilters = Object.values(filters).filter((v) => v.trim()).length;
  const filtered = Object.values(applied).some((v) => v.trim());

  const set = (name: keyof LogFilters) => (event: ChangeEvent<HTMLInputElement>) =>
    setFilters((current) => ({ ...current, [name]: event.target.value }));

  return (
    <>
      <PageHeader
        title="Events"
        description="Every change ever made, newest first. Nothing here is ever edited or deleted."
      />
      <Card>
        <div className="flex items-center justify-between gap-3 border-b border-zinc-200 px-4 py-3 sm:hidden">
          <span className="text-sm text-zinc-700">
            {activeFilters === 0 ? 'No filters' : `${activeFilters} ${activeFilters === 1 ? 'filter' : 'filters'} on`}
          </span>
          <Button size="sm" aria-expanded={filtersOpen} onClick={() => setFiltersOpen(!filtersOpen)}>
            {filtersOpen ? 'Hide filters' : 'Filters'}
          </Button>
        </div>
        <form
          aria-label="Filter events"
          className={`${filtersOpen ? 'grid' : 'hidden'} grid-cols-2 gap-3 border-b border-zinc-200 p-4 sm:grid sm:px-5 lg:grid-cols-4`}
          onSubmit={(event) => event.preventDefault()}
        >
          <SelectField
            label="Event type"
            value={filters.type}
            onChange={(event) => setFilters((current) => ({ ...current, type: event.target.value }))}
            options={typeOptions}
          />
          <TextField
            label="Stream type"
            placeholder="user"
            list="stream-type-options"
            value={filters.streamType}
            onChange={set('streamType')}
          />
          <div className="col-span-2">
            <TextField label="Stream id" placeholder="user-…" value={filters.streamId} onChange={set('streamId')} />
          </div>
          <div className="col-span-2">
            <TextField
              label="Actor id"
              placeholder="A user id"
              hint="Suggestions list users by name."
              list="actor-options"
              value={filters.actorId}
              onChange={set('actorId')}
            />
          </div>
          <TextField label="From" type="datetime-local" step={1} value={filters.from} onChange={set('from')} />
          <TextField label="To" type="datetime-local" step={1} value={filters.to} onChange={set('to')} />
          <datalist id="stream-type-options">
            {suggestions.streamTypes.map((type) => (
              <option key={type} value={type} />
            ))}
          </datalist>
          <datalist id="actor-options">
            {actors.data?.items.map((user) => (
              <option key={user.userId} value={user.userId}>
                {user.name}
              </option>
            ))}
          </datalist>
          {activeFilters > 0 ? (
            <div className="col-span-2 lg:col-span-4">
              <Button size="sm" variant="ghost" onClick={() => setFilters(noFilters)}>
                Clear filters
              </Button>
            </div>
          ) : null}
        </form>

        <LiveBar
          status={live.status}
          onNewestPage={onNewestPage}
          onPause={live.pause}
          onResume={live.resume}
          onNewest={() => setPaging({ filterKey, before: [] })}
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

        {page.data && (!onNewestPage || hasOlder) ? (
          <nav
            aria-label="Pages"
            className="flex items-center justify-between gap-3 border-t border-zinc-200 px-4 py-3 text-sm sm:px-5"
          >
            <span className="text-zinc-600">{onNewestPage ? 'Newest events' : `Page ${before.length + 1}`}</span>
            <div className="flex gap-2">
              <Button
                size="sm"
                disabled={onNewestPage}
                onClick={() => setPaging({ filterKey, before: before.slice(0, -1) })}
              >
                Newer
              </Button>
              <Button
                size="sm"
                disabled={!hasOlder || page.isPlaceholderData}
                onClick={() => lastOnPage && setPaging({ filterKey, before: [...before, lastOnPage] })}
              >
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

function LiveBar({
  status,
  onNewestPage,
  onPause,
  onResume,
  onNewest,
}: {
  status: LiveStatus;
  onNewestPage: boolean;
  onPause(): void;
  onResume(): void;
  onNewest(): void;
}) {
  const text: Record<LiveStatus, string> = {
    live: 'Live: new events appear at the top as they happen.',
    connecting: 'Connecting to the live stream…',
    reconnecting: 'The live stream was interrupted; reconnecting…',
    paused: 'Paused: new events wait until you resume.',
    off: onNewestPage
      ? 'Live updates are off while a “To” time is set.'
      : 'Live updates are off while you look at older events.',
  };
  const dot: Record<LiveStatus, string> = {
    live: 'bg-emerald-500 motion-safe:animate-pulse',
    connecting: 'bg-zinc-400',
    reconnecting: 'bg-amber-500',
    paused: 'bg-zinc-400',
    off: 'bg-zinc-300',
  };
  return (
    <div className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 bg-zinc-50 px-4 py-2 text-sm sm:px-5">
      <p className="flex items-center gap-2 text-zinc-700" role="status">
        <span aria-hidden="true" className={`size-2 shrink-0 rounded-full ${dot[status]}`} />
        {text[status]}
      </p>
      {status === 'live' || status === 'connecting' || status === 'reconnecting' ? (
        <Button size="sm" onClick={onPause}>
          Pause
        </Button>
      ) : status === 'paused' ? (
        <Button size="sm" variant="primary" onClick={onResume}>
          Resume
        </Button>
      ) : !onNewestPage ? (
        <Button size="sm" onClick={onNewest}>
          Back to newest
        </Button>
      ) : null}
    </div>
  );
}

function EventTable({
  events,
  arrived,
  onOpen,
  dimmed,
}: {
  events: EventView[];
  arrived: Set<string>;
  onOpen(event: EventView): void;
  dimmed: boolean;
}) {
  return (
    <div className="overflow-x-auto" aria-busy={dimmed || undefined}>
      <table className={`w-full text-left text-sm ${dimmed ? 'opacity-60' : ''}`}>
        <caption className="sr-only">Events, newest first</caption>
        <thead className="bg-zinc-50 text-xs font-medium tracking-wide text-zinc-600 uppercase">
          <tr>
            <th scope="col" className="w-16 px-4 py-2.5 sm:w-20 sm:px-5">
              #
            </th>
            <th scope="col" className="px-3 py-2.5">
              Event
            </th>
            <th scope="col" className="hidden w-44 px-3 py-2.5 md:table-cell">
              Time
            </th>
            <th scope="col" className="hidden w-64 px-3 py-2.5 lg:table-cell">
              Stream
            </th>
            <th scope="col" className="hidden w-40 px-3 py-2.5 sm:table-cell sm:pr-5">
              Actor
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200">
          {events.map((event) => (
            <tr
              key={event.eventId}
              onClick={() => onOpen(event)}
              className={`cursor-pointer align-top hover:bg-zinc-50 ${arrived.has(event.eventId) ? 'motion-safe:animate-arrive' : ''}`}
            >
              <td className="px-4 py-2.5 text-zinc-600 tabular-nums sm:px-5">{event.position}</td>
              <td className="max-w-0 px-3 py-2.5">
                <button
                  type="button"
                  onClick={(e) => {
                    e.stopPropagation();
                    onOpen(event);
                  }}
                  className="max-w-full truncate text-left font-medium text-indigo-700 hover:underline"
                  aria-label={`Event ${event.position}: ${event.type} on ${event.streamId}`}
                >
                  {event.type}
                </button>
                <div className="truncate text-xs text-zinc-600">{readableEventType(event.type)}</div>
                <div className="truncate text-xs text-zinc-600 md:hidden">
                  <Timestamp date={event.recordedAt} compact /> · {event.actorName ?? event.actorId ?? 'system'}
                </div>
              </td>
              <td className="hidden px-3 py-2.5 text-zinc-700 md:table-cell">
                <Timestamp date={event.recordedAt} compact />
              </td>
              <td className="hidden max-w-64 px-3 py-2.5 lg:table-cell">
                <div className="truncate font-mono text-xs text-zinc-800" title={event.streamId}>
                  {event.streamId}
                </div>
                <div className="text-xs text-zinc-600">
                  {event.streamType} · v{event.version}
                </div>
              </td>
              <td className="hidden max-w-40 truncate px-3 py-2.5 text-zinc-800 sm:table-cell sm:pr-5">
                {event.actorName ?? event.actorId ?? 'system'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
