'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type ProjectionStatus, useTRPC } from '../../api/trpc';
import { recordSample, summarise, useSamples } from './samples';

/**
 * Poll fast while a rebuild runs, so its progress moves; calmly otherwise. Right after a rebuild
 * is requested, look again sooner still until it shows up: a small one is over within a second.
 */
const startingPollMs = 250;
const fastPollMs = 1000;
const calmPollMs = 3000;

/** Rebuilds asked for and not yet seen in the status: name → the previous rebuild's start. */
export type Awaiting = Record<string, string | null>;

const startedKey = (status: ProjectionStatus) => status.rebuild?.startedAt.toISOString() ?? null;

/**
 * The status of every projection and reactor, polled; the samples the charts draw; and the
 * rebuilds this page asked for (`awaiting` until the status shows them) or saw running (`watched`:
 * their finished bar stays until the page is left).
 */
export function useProjectionStatus() {
  const trpc = useTRPC();
  const [awaiting, setAwaiting] = useState<Awaiting>({});
  const [watched, setWatched] = useState<Set<string>>(() => new Set());
  const status = useQuery({
    ...trpc.projections.status.queryOptions(undefined, {
      staleTime: 0,
      refetchInterval: (query) => {
        const rows = query.state.data ?? [];
        if (Object.keys(awaiting).length > 0) return startingPollMs;
        return rows.some((row) => row.rebuild?.status === 'running') ? fastPollMs : calmPollMs;
      },
    }),
  });
  const samples = useSamples();

  useEffect(() => {
    if (status.data && !status.isPlaceholderData) recordSample(summarise(status.data, status.dataUpdatedAt));
  }, [status.data, status.dataUpdatedAt, status.isPlaceholderData]);

  // A requested rebuild shows up in the status with a new start time (or running): stop waiting.
  useEffect(() => {
    if (!status.data) return;
    const seen = status.data.filter(
      (row) => row.name in awaiting && (row.rebuild?.status === 'running' || startedKey(row) !== awaiting[row.name]),
    );
    if (seen.length === 0) return;
    setWatched((current) => new Set([...current, ...seen.map((row) => row.name)]));
    setAwaiting((current) => {
      const next = { ...current };
      for (const row of seen) delete next[row.name];
      return next;
    });
  }, [status.data, awaiting]);
  useEffect(() => {
    const running = status.data?.filter((row) => row.rebuild?.status === 'running').map((row) => row.name) ?? [];
    if (running.some((name) => !watched.has(name))) setWatched((current) => new Set([...current, ...running]));
  }, [status.data, watched]);

  return {
    status,
    samples,
    awaiting,
    watched,
    /** A rebuild was asked for: wait for the status to show it. */
    requested: (row: ProjectionStatus) => setAwaiting((current) => ({ ...current, [row.name]: startedKey(row) })),
    /** The api refused it: nothing to wait for. */
    requestFailed: (name: string) =>
      setAwaiting((current) => {
        const { [name]: _, ...rest } = current;
        return rest;
      }),
  };
}
