import type { ProjectionStatus } from '../../api/trpc';
import { cn } from '../../ui/cn';
import { formatCount } from '../../ui/money';
import { formatSeconds } from './projection-facts';

/** A rebuild's bar: starting (asked for, not yet in the status), running, done or failed, in words below it. */
export function RebuildProgress({ name, rebuild }: { name: string; rebuild: ProjectionStatus['rebuild'] }) {
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
          className={cn('h-full rounded-full transition-[width] duration-500', bar)}
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
