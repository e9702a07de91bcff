'use client';

import type { ProjectionStatus } from '../../api/trpc';
import { Button } from '../../ui/button';
import { type Column, DataTable } from '../../ui/data-table';
import { FormError } from '../../ui/form-error';
import { formatCount } from '../../ui/money';
import { Timestamp } from '../../ui/time';
import { LagText, purposes, StateBadge } from './projection-facts';
import { RebuildProgress } from './rebuild-progress';
import type { RebuildRequest } from './use-rebuild-requests';

/**
 * Projections or reactors, one row group each (named for screen readers): a row of numbers, and
 * below it the rebuild's progress while there is any to show.
 */
export function StatusTable({
  caption,
  rows,
  awaiting,
  watched,
  rebuilds,
}: {
  caption: string;
  rows: ProjectionStatus[];
  awaiting: Record<string, unknown>;
  watched: Set<string>;
  /** Given to admins on read models: the Rebuild buttons and what became of each request. */
  rebuilds?: { requestOf: (name: string) => RebuildRequest; start: (row: ProjectionStatus) => void };
}) {
  const starting = (row: ProjectionStatus) => row.name in awaiting;
  const running = (row: ProjectionStatus) => row.rebuild?.status === 'running';
  const failure = (row: ProjectionStatus) => rebuilds?.requestOf(row.name).error ?? null;
  const showProgress = (row: ProjectionStatus) =>
    starting(row) || running(row) || (watched.has(row.name) && row.rebuild !== null) || Boolean(failure(row));

  const columns: (Column<ProjectionStatus> | false)[] = [
    {
      header: 'Name',
      cellClassName: 'sm:w-auto',
      cell: (row) => <NameCell row={row} showProgress={showProgress(row)} />,
    },
    { header: 'State', cell: (row) => <StateBadge state={row.state} /> },
    {
      header: 'Position / head',
      className: 'hidden text-right md:table-cell',
      cellClassName: 'whitespace-nowrap text-zinc-800 tabular-nums',
      cell: (row) => (
        <>
          {formatCount(row.position)} <span className="text-zinc-500">/</span> {formatCount(row.headPosition)}
        </>
      ),
    },
    {
      header: 'Lag',
      className: 'hidden sm:table-cell',
      cellClassName: 'whitespace-nowrap',
      cell: (row) => <LagText row={row} />,
    },
    {
      header: 'Worker',
      className: 'hidden lg:table-cell',
      cellClassName: 'max-w-48',
      cell: (row) =>
        row.workerId ? (
          <span className="block truncate font-mono text-xs text-zinc-700" title={row.workerId}>
            {row.workerId}
          </span>
        ) : (
          <span className="text-xs text-zinc-600">{row.mode === 'inline' ? 'each writer' : 'none'}</span>
        ),
    },
    Boolean(rebuilds) && {
      header: 'Actions',
      headerHidden: true,
      className: 'sm:pr-5',
      cellClassName: 'text-right',
      cell: (row) => (
        <Button
          size="sm"
          onClick={() => rebuilds?.start(row)}
          busy={rebuilds?.requestOf(row.name).pending}
          disabled={running(row) || starting(row)}
          aria-label={`Rebuild ${row.name}`}
        >
          Rebuild
        </Button>
      ),
    },
  ];

  return (
    <DataTable
      caption={caption}
      columns={columns}
      rows={rows}
      rowKey={(row) => row.name}
      rowClassName="align-top"
      groups={{
        label: (row) => row.name,
        detail: (row) =>
          !showProgress(row) ? null : failure(row) ? (
            <FormError error={failure(row)} />
          ) : (
            <RebuildProgress name={row.name} rebuild={starting(row) && !running(row) ? null : row.rebuild} />
          ),
      }}
    />
  );
}

function NameCell({ row, showProgress }: { row: ProjectionStatus; showProgress: boolean }) {
  return (
    <>
      <div className="truncate font-mono text-[13px] font-medium text-zinc-900" title={row.name}>
        {row.name}
      </div>
      <div className="truncate text-xs text-zinc-600">
        {purposes[row.name] ?? (row.kind === 'reactor' ? 'Reactor' : 'Read model')} · {row.mode}
      </div>
      {row.mode === 'async' ? (
        <div className="mt-1 text-xs text-zinc-700 sm:hidden">
          Lag: <LagText row={row} />
        </div>
      ) : null}
      {row.rebuild && !showProgress ? (
        <div className="mt-1 text-xs text-zinc-600">
          {row.rebuild.status === 'failed' ? 'Last rebuild failed' : 'Last rebuilt'}{' '}
          <Timestamp date={row.rebuild.finishedAt ?? row.rebuild.startedAt} compact />
        </div>
      ) : null}
      {row.lastError ? (
        <p className="mt-1 text-xs break-words text-red-800" title={row.lastError}>
          Error: {row.lastError}
        </p>
      ) : null}
    </>
  );
}
