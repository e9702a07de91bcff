import type { ProjectionStatus } from '../../api/trpc';
import { formatCount } from '../../ui/money';
import { Card, CardHeader } from '../../ui/states';
import { LineChart } from './line-chart';
import { formatSeconds } from './projection-facts';
import { eventsPerSecond, lagPoints, type useSamples, windowMs } from './samples';

/** Events per second and the worst lag, from the samples this page took of the status. */
export function ThroughputCard({
  samples,
  rows,
}: {
  samples: ReturnType<typeof useSamples>;
  rows: ProjectionStatus[];
}) {
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
