'use client';

import { useSignedInUser } from '../../session/session';
import { cn } from '../../ui/cn';
import { Card, CardHeader, EmptyState, ErrorState, LoadingState, PageHeader } from '../../ui/states';
import { StatusTable } from './status-table';
import { ThroughputCard } from './throughput-card';
import { useProjectionStatus } from './use-projection-status';
import { useRebuildRequests } from './use-rebuild-requests';

/** Every read model and reactor: how far each has read the log, its lag, and rebuilds with their progress. */
export function ProjectionsScreen() {
  const { canChange } = useSignedInUser();
  const { status, samples, awaiting, watched, requested, requestFailed } = useProjectionStatus();
  const rebuilds = useRebuildRequests({ onRequested: requested, onRequestFailed: requestFailed });

  const rows = status.data ?? [];
  const projections = rows.filter((row) => row.kind === 'projection');
  const reactors = rows.filter((row) => row.kind === 'reactor');
  const rebuilding = rows.filter((row) => row.rebuild?.status === 'running').length;

  return (
    <>
      <PageHeader
        title="Projections"
        description="The read models every screen reads, and the reactors that act on events. Each shows how far it has read the log and how far behind it is."
        actions={
          status.data ? (
            <p className="flex items-center gap-2 text-sm text-zinc-600" role="status">
              <span
                aria-hidden="true"
                className={cn(
                  'size-2 rounded-full',
                  status.isError ? 'bg-amber-500' : 'bg-emerald-500 motion-safe:animate-pulse',
                )}
              />
              {status.isError
                ? 'Updates paused: the api did not answer'
                : rebuilding > 0
                  ? `Updating every second while ${rebuilding === 1 ? 'a rebuild runs' : 'rebuilds run'}`
                  : 'Updating every few seconds'}
            </p>
          ) : null
        }
      />
      {status.isPending ? (
        <Card>
          <LoadingState label="Loading projections…" />
        </Card>
      ) : status.isError && !status.data ? (
        <Card>
          <ErrorState title="Could not load projections" error={status.error} onRetry={() => void status.refetch()} />
        </Card>
      ) : (
        <div className="flex flex-col gap-6">
          <ThroughputCard samples={samples} rows={rows} />
          <Card>
            <CardHeader
              title="Read models"
              description="Inline ones change in the same transaction as each write; async ones follow in a worker."
            />
            {projections.length === 0 ? (
              <EmptyState title="No read models are registered">
                The api registers its projections when it starts; check that it is the Strata api.
              </EmptyState>
            ) : (
              <StatusTable
                caption="Read models"
                rows={projections}
                awaiting={awaiting}
                watched={watched}
                rebuilds={canChange ? rebuilds : undefined}
              />
            )}
          </Card>
          <Card>
            <CardHeader
              title="Reactors"
              description="Act on events after they commit, at least once. A rebuild never runs them again."
            />
            {reactors.length === 0 ? (
              <EmptyState title="No reactors are registered">
                Reactors appear here once the api registers one.
              </EmptyState>
            ) : (
              <StatusTable caption="Reactors" rows={reactors} awaiting={{}} watched={watched} />
            )}
          </Card>
        </div>
      )}
    </>
  );
}
