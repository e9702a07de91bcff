'use client';

import { articleIdOfStream, userIdOfStream } from '@strata/domain';
import Link from 'next/link';
import type { ReactNode } from 'react';
import type { EventView } from '../../api/trpc';
import { Button } from '../../ui/button';
import { Dialog, DialogActions } from '../../ui/dialog';
import { PersonName } from '../../ui/erased';
import { JsonBlock } from '../../ui/json-block';
import { Timestamp } from '../../ui/time';
import { readableEventType } from './event-type';

/** One event, whole: where it sits in the log, who caused it, its payload and its metadata. */
export function EventDetailDialog({
  event,
  onClose,
  onFilterStream,
}: {
  event: EventView;
  onClose(): void;
  onFilterStream(streamId: string): void;
}) {
  const open = pageOfStream(event);

  return (
    <Dialog title={event.type} description={readableEventType(event.type)} onClose={onClose} size="lg">
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        <Fact label="Position">
          <span className="tabular-nums">{event.position}</span>
        </Fact>
        <Fact label="Recorded">
          <Timestamp date={event.recordedAt} />
        </Fact>
        <Fact label="Stream">
          <code className="font-mono text-xs break-all">{event.streamId}</code>
        </Fact>
        <Fact label="Stream type">{event.streamType}</Fact>
        <Fact label="Version">
          <span className="tabular-nums">{event.version}</span>
        </Fact>
        <Fact label="Schema">version {event.schemaVersion}</Fact>
        <Fact label="Actor">
          {event.actorName ? (
            <>
              <PersonName name={event.actorName} /> ({event.actorId})
            </>
          ) : (
            (event.actorId ?? 'system')
          )}
        </Fact>
        <Fact label="Event id">
          <code className="font-mono text-xs break-all">{event.eventId}</code>
        </Fact>
      </dl>
      <JsonBlock title="Payload" value={event.data} />
      <JsonBlock title="Metadata" value={event.metadata} />
      <DialogActions>
        {open ? (
          <Link
            href={open.href}
            className="inline-flex h-10 items-center px-2 text-sm font-medium text-indigo-700 hover:underline"
          >
            {open.label}
          </Link>
        ) : null}
        <Button onClick={() => onFilterStream(event.streamId)}>Only this stream</Button>
        <Button variant="primary" onClick={onClose}>
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The page that shows what an event's stream is about, if there is one. */
function pageOfStream(event: EventView): { href: string; label: string } | null {
  switch (event.streamType) {
    case 'user':
      return { href: `/users/${userIdOfStream(event.streamId)}`, label: 'Open user' };
    case 'article':
      return /^article-[0-9a-f-]{36}$/.test(event.streamId)
        ? { href: `/articles/${articleIdOfStream(event.streamId)}`, label: 'Open article' }
        : null;
    case 'wallet':
      return { href: '/shop/wallets', label: 'Open wallets' };
    case 'item':
      return { href: '/shop/items', label: 'Open items' };
    case 'order':
      return { href: '/shop/orders', label: 'Open orders' };
    default:
      return null;
  }
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[6.5rem_minmax(0,1fr)] gap-2">
      <dt className="text-zinc-600">{label}</dt>
      <dd className="min-w-0 text-zinc-900">{children}</dd>
    </div>
  );
}
