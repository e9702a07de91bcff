'use client';

import type { EventView } from '../../api/trpc';
import { cn } from '../../ui/cn';
import { DataTable } from '../../ui/data-table';
import { PersonName } from '../../ui/erased';
import { Timestamp } from '../../ui/time';
import { readableEventType } from './event-type';

const actorOf = (event: EventView) => <PersonName name={event.actorName ?? event.actorId ?? 'system'} />;

/** Events, newest first; a click opens one. Those that arrived live fade in. */
export function EventTable({
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
    <DataTable
      caption="Events, newest first"
      rows={events}
      rowKey={(event) => event.eventId}
      dimmed={dimmed}
      onRowClick={onOpen}
      rowClassName={(event) =>
        cn('cursor-pointer align-top hover:bg-zinc-50', arrived.has(event.eventId) && 'motion-safe:animate-arrive')
      }
      columns={[
        {
          header: '#',
          className: 'w-16 sm:w-20',
          cellClassName: 'py-2.5 text-zinc-600 tabular-nums',
          cell: (event) => event.position,
        },
        {
          header: 'Event',
          fill: true,
          cellClassName: 'py-2.5',
          cell: (event) => (
            <>
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
                <Timestamp date={event.recordedAt} compact /> · {actorOf(event)}
              </div>
            </>
          ),
        },
        {
          header: 'Time',
          className: 'hidden w-44 md:table-cell',
          cellClassName: 'py-2.5 text-zinc-700',
          cell: (event) => <Timestamp date={event.recordedAt} compact />,
        },
        {
          header: 'Stream',
          className: 'hidden w-64 lg:table-cell',
          cellClassName: 'max-w-64 py-2.5',
          cell: (event) => (
            <>
              <div className="truncate font-mono text-xs text-zinc-800" title={event.streamId}>
                {event.streamId}
              </div>
              <div className="text-xs text-zinc-600">
                {event.streamType} · v{event.version}
              </div>
            </>
          ),
        },
        {
          header: 'Actor',
          className: 'hidden w-40 sm:table-cell sm:pr-5',
          cellClassName: 'max-w-40 truncate py-2.5 text-zinc-800',
          cell: actorOf,
        },
      ]}
    />
  );
}
