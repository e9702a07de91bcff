import { cn } from '../../ui/cn';
import type { Point } from './samples';

const width = 600;
const height = 120;

/** 1, 2 or 5 times a power of ten, at or above `value`: a scale people read at a glance. */
export function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

const tones = {
  indigo: { line: 'stroke-indigo-600', area: 'fill-indigo-500/10', swatch: 'bg-indigo-600' },
  amber: { line: 'stroke-amber-600', area: 'fill-amber-500/15', swatch: 'bg-amber-600' },
} as const;

/**
 * A small time-series chart in plain SVG: the last `windowMs` up to `now`, from zero to a round
 * maximum. Missing samples (null) break the line instead of drawing a slope across the gap.
 */
export function LineChart({
  title,
  points,
  now,
  windowMs,
  format,
  current,
  tone,
  description,
}: {
  title: string;
  points: readonly Point[];
  now: number;
  windowMs: number;
  format: (value: number) => string;
  /** The headline number beside the title. */
  current: string;
  tone: keyof typeof tones;
  /** Read by screen readers instead of the drawing. */
  description: string;
}) {
  const start = now - windowMs;
  const visible = points.filter((p) => p.at >= start);
  const values = visible.flatMap((p) => (p.value === null ? [] : [p.value]));
  const max = niceCeiling(Math.max(0, ...values));
  const x = (at: number) => (((at - start) / windowMs) * width).toFixed(1);
  const y = (value: number) => (height - (value / max) * (height - 4)).toFixed(1);

  const segments: Point[][] = [];
  let segment: Point[] = [];
  for (const point of visible) {
    if (point.value === null) {
      if (segment.length) segments.push(segment);
      segment = [];
    } else segment.push(point);
  }
  if (segment.length) segments.push(segment);

  const line = (s: Point[]) => s.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at)} ${y(p.value ?? 0)}`).join(' ');
  const area = (s: Point[]) =>
    `${line(s)} L${x((s.at(-1) as Point).at)} ${height} L${x((s[0] as Point).at)} ${height} Z`;
  const minutes = Math.round(windowMs / 60_000);

  return (
    <figure className="min-w-0">
      <figcaption className="flex items-baseline justify-between gap-3">
        <span className="flex items-center gap-2 text-sm font-medium text-zinc-800">
          <span aria-hidden="true" className={cn('size-2.5 rounded-sm', tones[tone].swatch)} />
          {title}
        </span>
        <span className="text-lg font-semibold text-zinc-900 tabular-nums">{current}</span>
      </figcaption>
      <div className="mt-2 flex gap-2">
        <div
          aria-hidden="true"
          className="flex w-10 shrink-0 flex-col justify-between text-right text-xs text-zinc-600 tabular-nums"
        >
          <span className="-mt-1.5">{format(max)}</span>
          <span className="-mb-1.5">0</span>
        </div>
        <div className="relative h-28 min-w-0 flex-1">
          <svg
            viewBox={`0 0 ${width} ${height}`}
            preserveAspectRatio="none"
            className="absolute inset-0 size-full overflow-visible"
            role="img"
            aria-label={description}
          >
            {[0, height / 2, height].map((gridY) => (
              <line
                key={gridY}
                x1={0}
                x2={width}
                y1={gridY}
                y2={gridY}
                className={gridY === height ? 'stroke-zinc-300' : 'stroke-zinc-200'}
                strokeDasharray={gridY === height ? undefined : '4 4'}
                vectorEffect="non-scaling-stroke"
              />
            ))}
            {segments.map((s) =>
              s.length > 1 ? <path key={`area-${s[0]?.at}`} d={area(s)} className={tones[tone].area} /> : null,
            )}
            {segments.map((s) => (
              <path
                key={`line-${s[0]?.at}`}
                d={s.length > 1 ? line(s) : `M${x((s[0] as Point).at)} ${y(s[0]?.value ?? 0)} h1`}
                className={cn('fill-none', tones[tone].line)}
                strokeWidth={2}
                strokeLinejoin="round"
                strokeLinecap="round"
                vectorEffect="non-scaling-stroke"
              />
            ))}
          </svg>
        </div>
      </div>
      <div aria-hidden="true" className="mt-1 ml-12 flex justify-between text-xs text-zinc-600">
        <span>{minutes} min ago</span>
        <span>now</span>
      </div>
    </figure>
  );
}
