'use client';

import { skipToken } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type EventFilters, type EventView, useTRPC } from '../../api/trpc';

export type LiveStatus = 'off' | 'connecting' | 'live' | 'paused' | 'reconnecting';

type LiveFilters = Omit<EventFilters, 'from' | 'to'>;

interface LiveEventsOptions {
  /** The api sends only events matching these (time filters do not apply to new events). */
  filters: LiveFilters;
  /** Events after this position are new; when it changes, the tail starts over from it. */
  afterPosition: number | undefined;
  enabled: boolean;
}

const keepAtMost = 500;

/**
 * New events as they are appended, newest first, from the `events.live` subscription (SSE),
 * filtered by the api. Pausing closes the stream; resuming opens it again after the last event it
 * delivered, so nothing is missed and nothing is shown twice. A dropped connection resumes by itself.
 */
export function useLiveEvents({ filters, afterPosition, enabled }: LiveEventsOptions) {
  const trpc = useTRPC();
  const [events, setEvents] = useState<EventView[]>([]);
  const [paused, setPaused] = useState(false);
  /** Where the open stream started: the log's newest event, or where a pause left off. */
  const [startAfter, setStartAfter] = useState(afterPosition);
  const lastDelivered = useRef(afterPosition);
  const filterKey = JSON.stringify(filters);
  // The same filters as long as their values are the same, so the stream is not reopened needlessly.
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey stands for filters
  const stableFilters = useMemo(() => filters, [filterKey]);

  // A new starting point or new filters: forget what the old tail collected.
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey stands for filters
  useEffect(() => {
    lastDelivered.current = afterPosition;
    setStartAfter(afterPosition);
    setEvents([]);
  }, [afterPosition, filterKey]);

  const running = enabled && !paused && startAfter !== undefined;
  const subscription = useSubscription(
    trpc.events.live.subscriptionOptions(running ? { ...stableFilters, afterPosition: startAfter } : skipToken, {
      onData: ({ data: event }) => {
        lastDelivered.current = event.position;
        setEvents((current) => [event, ...current].slice(0, keepAtMost));
      },
    }),
  );

  const pause = useCallback(() => setPaused(true), []);
  const resume = useCallback(() => {
    setStartAfter(lastDelivered.current);
    setPaused(false);
  }, []);

  const status: LiveStatus = !enabled
    ? 'off'
    : paused
      ? 'paused'
      : subscription.status === 'pending'
        ? 'live'
        : subscription.status === 'error' || subscription.error
          ? 'reconnecting'
          : 'connecting';
  return { events, status, pause, resume };
}
