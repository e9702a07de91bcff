'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type ProjectionStatus, useTRPC } from '../../api/trpc';
import { useSignedInUser } from '../../session/session';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { FormError } from '../../ui/form-error';
import { formatCount } from '../../ui/money';
import { Card, CardHeader, EmptyState, ErrorState, LoadingState, PageHeader } from '../../ui/states';
import { Timestamp } from '../../ui/time';
import { useToast } from '../../ui/toast';
import { LineChart } from './line-chart';
import { eventsPerSecond, lagPoints, recordSample, summarise, useSamples, windowMs } from './samples';

/**
 * Poll fast while a rebuild runs, so its progress moves; calmly otherwise. Right after a rebuild
 * is requested, look again sooner still until it shows up: a small one is over within a second.
 */
const startingPollMs = 250;
const fastPollMs = 1000;
const calmPollMs = 3000;

/** What each read model is for: the screens that read it. */
const purposes: Record<string, string> = {
  users: 'Users list and profiles',
  sessions: 'Who is signed in',
  event_stats: 'Event counts per type',
  wallets: 'Wallet balances',
  items: 'Items with stock and price',
  orders: 'The orders list',
  item_sales: 'Sales per item',
  articles: 'The admin’s article list',
  article_search: 'Full-text search of published articles',
  article_feed: 'RSS feed (/feed.xml)',
  article_sitemap: 'Sitemap (/sitemap.xml)',
  'role-change-notifications': 'Reacts to role changes',
};

/** Rebuilds asked for and not yet seen in the status: name → the previous rebuild's start. */
type Awaiting = Record<string, string | null>;

const startedKey = (status: ProjectionStatus) => status.rebuild?.startedAt.toISOString() ?? null;

export function ProjectionsScreen() {
  const trpc = useTRPC();
  const { canChange } = useSignedInUser();
  const [awaiting, setAwaiting] = useState<Awaiting>({});
  /** Rebuilds watched from this page: their finished bar stays until the page is left. */
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
                className={`size-2 rounded-full ${status.isError ? 'bg-amber-500' : 'bg-emerald-500 motion-safe:animate-pulse'}`}
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
                rows={projections}
                canChange={canChange}
                awaiting={awaiting}
                watched={watched}
                onRequested={(row) => setAwaiting((current) => ({ ...current, [row.name]: startedKey(row) }))}
                onRequestFailed={(name) =>
                  setAwaiting((current) => {
                    const { [name]: _, ...rest } = current;
                    return rest;
                  })
                }
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
              <StatusTable rows={reactors} canChange={false} awaiting={{}} watched={watched} />
            )}
          </Card>
        </div>
      )}
    </>
  );
}

function ThroughputCard({ samples, rows }: { samples: ReturnType<typeof useSamples>; rows: ProjectionStatus[] }) {
  const now = samples.at(-1)?.at ?? 0;
  const rate = eventsPerSecond(samples);
  const lag = lagPoints(samples);
  const latestRate = rate.at(-1)?.value ?? null;
  const latest = samples.at(-1);
  const head = rows[0]?.headPosition ?? 0;
  const peakRate = Math.max(0, ...rate.map((p) => p.value ?? 0));
  const peakLag = Math.max(0, ...lag.map((p) => p.value ?? 0));
  const rateText = (value: number) =>
    value >= 10 || Number.isInteger(value) ? formatCount(Math.round(value)) : value.toFixed(1);

  return (
    <Card>
      <CardHeader
        title="Throughput and lag"
        description={
          <>
            Sampled by this page from each status check, over the last {Math.round(windowMs / 60_000)} minutes. The
            log&apos;s head is at position{' '}
            <span className="font-medium text-zinc-800 tabular-nums">{formatCount(head)}</span>.
          </>
        }
      />
      <div className="grid gap-6 p-4 sm:px-5 md:grid-cols-2">
        {samples.length < 2 ? (
          <p className="text-sm text-zinc-600 md:col-span-2">
            Collecting samples: the charts draw once this page has checked the status twice.
          </p>
        ) : null}
        <LineChart
          title="Events per second"
          tone="indigo"
          points={rate}
          now={now}
          windowMs={windowMs}
          current={latestRate === null ? '—' : rateText(latestRate)}
          format={(value) => compact.format(value)}
          description={`Events appended per second over the last ${Math.round(windowMs / 60_000)} minutes: now ${
            latestRate === null ? 'unknown' : rateText(latestRate)
          }, peak ${rateText(peakRate)}.`}
        />
        <LineChart
          title="Worst lag (events)"
          tone="amber"
          points={lag}
          now={now}
          windowMs={windowMs}
          current={
            latest ? `${formatCount(latest.lag)}${latest.lag > 0 ? ` · ${formatSeconds(latest.lagSeconds)}` : ''}` : '—'
          }
          format={(value) => compact.format(value)}
          description={`The largest lag of any async read model over the last ${Math.round(windowMs / 60_000)} minutes: now ${
            latest ? formatCount(latest.lag) : 'unknown'
          } events, peak ${formatCount(peakLag)}.`}
        />
      </div>
    </Card>
  );
}

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const stateBadges: Record<ProjectionStatus['state'], { label: string; tone: Parameters<typeof Badge>[0]['tone'] }> = {
  inline: { label: 'inline', tone: 'indigo' },
  idle: { label: 'up to date', tone: 'green' },
  running: { label: 'catching up', tone: 'amber' },
  rebuilding: { label: 'rebuilding', tone: 'indigo' },
  stopped: { label: 'no worker', tone: 'red' },
  failed: { label: 'failed', tone: 'red' },
};

function StateBadge({ state }: { state: ProjectionStatus['state'] }) {
  const badge = stateBadges[state];
  return <Badge tone={badge.tone}>{badge.label}</Badge>;
}

function LagText({ row }: { row: ProjectionStatus }) {
  if (row.mode === 'inline') return <span className="text-zinc-600">none, same transaction</span>;
  if (row.lag === 0) return <span className="text-zinc-700">none</span>;
  return (
    <span className="text-amber-900">
      <span className="font-medium tabular-nums">{formatCount(row.lag)}</span> {row.lag === 1 ? 'event' : 'events'}
      <span className="text-zinc-600"> · {formatSeconds(row.lagSeconds)}</span>
    </span>
  );
}

function StatusTable({
  rows,
  canChange,
  awaiting,
  watched,
  onRequested,
  onRequestFailed,
}: {
  rows: ProjectionStatus[];
  canChange: boolean;
  awaiting: Awaiting;
  watched: Set<string>;
  onRequested?: (row: ProjectionStatus) => void;
  onRequestFailed?: (name: string) => void;
}) {
  const columns = canChange ? 6 : 5;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="bg-zinc-50 text-xs font-medium tracking-wide text-zinc-600 uppercase">
          <tr>
            <th scope="col" className="w-full px-4 py-2.5 sm:px-5">
              Name
            </th>
            <th scope="col" className="px-3 py-2.5">
              State
            </th>
            <th scope="col" className="hidden px-3 py-2.5 text-right md:table-cell">
              Position / head
            </th>
            <th scope="col" className="hidden px-3 py-2.5 sm:table-cell">
              Lag
            </th>
            <th scope="col" className="hidden px-3 py-2.5 lg:table-cell">
              Worker
            </th>
            {canChange ? (
              <th scope="col" className="px-3 py-2.5 sm:pr-5">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        {rows.map((row) => (
          <StatusRows
            key={row.name}
            row={row}
            columns={columns}
            canChange={canChange}
            starting={row.name in awaiting}
            watched={watched.has(row.name)}
            onRequested={onRequested}
            onRequestFailed={onRequestFailed}
          />
        ))}
      </table>
    </div>
  );
}

/** One read model: a row of numbers, and below it the rebuild's progress while there is any to show. */
function StatusRows({
  row,
  columns,
  canChange,
  starting,
  watched,
  onRequested,
  onRequestFailed,
}: {
  row: ProjectionStatus;
  columns: number;
  canChange: boolean;
  starting: boolean;
  watched: boolean;
  onRequested?: (row: ProjectionStatus) => void;
  onRequestFailed?: (name: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const rebuild = useMutation(trpc.projections.rebuild.mutationOptions());
  const running = row.rebuild?.status === 'running';
  const showProgress = starting || running || (watched && row.rebuild !== null) || rebuild.isError;

  const start = () => {
    onRequested?.(row);
    rebuild.mutate(
      { name: row.name },
      {
        onSuccess: () => {
          toast(`Rebuilding ${row.name}`);
          void queryClient.invalidateQueries(trpc.projections.status.pathFilter());
        },
        onError: () => onRequestFailed?.(row.name),
      },
    );
  };

  return (
    <tbody className="border-t border-zinc-200" aria-label={row.name}>
      <tr className="align-top">
        <td className="max-w-0 px-4 py-3 sm:w-auto sm:px-5">
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
        </td>
        <td className="px-3 py-3">
          <StateBadge state={row.state} />
        </td>
        <td className="hidden px-3 py-3 text-right whitespace-nowrap text-zinc-800 tabular-nums md:table-cell">
          {formatCount(row.position)} <span className="text-zinc-500">/</span> {formatCount(row.headPosition)}
        </td>
        <td className="hidden px-3 py-3 whitespace-nowrap sm:table-cell">
          <LagText row={row} />
        </td>
        <td className="hidden max-w-48 px-3 py-3 lg:table-cell">
          {row.workerId ? (
            <span className="block truncate font-mono text-xs text-zinc-700" title={row.workerId}>
              {row.workerId}
            </span>
          ) : (
            <span className="text-xs text-zinc-600">{row.mode === 'inline' ? 'each writer' : 'none'}</span>
          )}
        </td>
        {canChange ? (
          <td className="px-3 py-3 text-right sm:pr-5">
            <Button
              size="sm"
              onClick={start}
              busy={rebuild.isPending}
              disabled={running || starting}
              aria-label={`Rebuild ${row.name}`}
            >
              Rebuild
            </Button>
          </td>
        ) : null}
      </tr>
      {showProgress ? (
        <tr>
          <td colSpan={columns} className="px-4 pb-3 sm:px-5">
            {rebuild.isError ? (
              <FormError error={rebuild.error} />
            ) : (
              <RebuildProgress name={row.name} rebuild={starting && !running ? null : row.rebuild} />
            )}
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

function RebuildProgress({ name, rebuild }: { name: string; rebuild: ProjectionStatus['rebuild'] }) {
  if (!rebuild) {
    return (
      <div className="flex flex-col gap-1.5">
        <div
          key="starting"
          role="progressbar"
          aria-label={`Rebuild of ${name}`}
          aria-valuetext="Starting"
          className="h-2 overflow-hidden rounded-full bg-zinc-100"
        >
          <div className="h-full w-1/3 rounded-full bg-indigo-300 motion-safe:animate-pulse" />
        </div>
        <p className="text-xs text-zinc-700">Starting the rebuild…</p>
      </div>
    );
  }
  const { status, eventsDone, eventsTotal, eventsPerSecond } = rebuild;
  const total = Math.max(eventsTotal, eventsDone, 1);
  const percent = status === 'done' ? 100 : Math.min(100, Math.floor((eventsDone / total) * 100));
  const seconds = rebuild.finishedAt ? (rebuild.finishedAt.getTime() - rebuild.startedAt.getTime()) / 1000 : null;
  const remaining = eventsPerSecond > 0 ? Math.max(0, total - eventsDone) / eventsPerSecond : null;
  const bar = status === 'failed' ? 'bg-red-500' : status === 'done' ? 'bg-emerald-500' : 'bg-indigo-600';

  return (
    <div className="flex flex-col gap-1.5">
      <div
        key="progress"
        role="progressbar"
        aria-label={`Rebuild of ${name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%: ${formatCount(eventsDone)} of ${formatCount(total)} events`}
        className="h-2 overflow-hidden rounded-full bg-zinc-100"
      >
        <div
          className={`h-full rounded-full transition-[width] duration-500 ${bar}`}
          style={{ width: `${percent}%` }}
        />
      </div>
      {/* The text changes every second while it runs: screen readers hear only how it ended. */}
      <span className="sr-only" role="status">
        {status === 'done' ? `Rebuild of ${name} finished.` : status === 'failed' ? `Rebuild of ${name} failed.` : ''}
      </span>
      <p className="text-xs text-zinc-700">
        {status === 'running' ? (
          <>
            Rebuilding: <span className="tabular-nums">{formatCount(eventsDone)}</span> of{' '}
            <span className="tabular-nums">{formatCount(total)}</span> events ({percent}%)
            {eventsPerSecond > 0 ? ` · ${formatCount(eventsPerSecond)} events/s` : ''}
            {remaining !== null && remaining >= 1 ? ` · about ${formatSeconds(remaining)} left` : ''}. The current
            tables keep serving reads until the new ones are swapped in.
          </>
        ) : status === 'done' ? (
          <>
            Rebuilt from <span className="tabular-nums">{formatCount(eventsDone)}</span> events
            {seconds !== null ? ` in ${formatSeconds(seconds)}` : ''} and swapped in.
          </>
        ) : (
          <span className="text-red-800">
            The rebuild failed{rebuild.error ? `: ${rebuild.error}` : ''}. The previous tables are still in use; try
            again.
          </span>
        )}
      </p>
    </div>
  );
}
