'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type ProjectionStatus, useTRPC } from '../../api/trpc';
import { useToast } from '../../ui/toast';

/** Where this page's request to rebuild one projection is: on its way, or refused (and why). */
export interface RebuildRequest {
  pending: boolean;
  error: unknown;
}

/** Requests to rebuild projections, one at a time per projection, each with its own answer. */
export function useRebuildRequests({
  onRequested,
  onRequestFailed,
}: {
  onRequested: (row: ProjectionStatus) => void;
  onRequestFailed: (name: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const rebuild = useMutation(trpc.projections.rebuild.mutationOptions());
  const [requests, setRequests] = useState<Record<string, RebuildRequest>>({});
  const settle = (name: string, request: RebuildRequest) => setRequests((current) => ({ ...current, [name]: request }));

  const start = (row: ProjectionStatus) => {
    onRequested(row);
    settle(row.name, { pending: true, error: null });
    rebuild.mutateAsync({ name: row.name }).then(
      () => {
        settle(row.name, { pending: false, error: null });
        toast(`Rebuilding ${row.name}`);
        void queryClient.invalidateQueries(trpc.projections.status.pathFilter());
      },
      (error: unknown) => {
        settle(row.name, { pending: false, error });
        onRequestFailed(row.name);
      },
    );
  };

  return { requestOf: (name: string): RebuildRequest => requests[name] ?? { pending: false, error: null }, start };
}
