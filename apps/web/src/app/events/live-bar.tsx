'use client';

import { Button } from '../../ui/button';
import { cn } from '../../ui/cn';
import type { LiveStatus } from './use-live-events';

/** Whether new events appear as they happen, with Pause / Resume, or the way back to the newest. */
export function LiveBar({
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
        <span aria-hidden="true" className={cn('size-2 shrink-0 rounded-full', dot[status])} />
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
