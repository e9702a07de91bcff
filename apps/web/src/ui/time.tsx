const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const short = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export const formatTime = (date: Date) => full.format(date);

/** A point in time, readable, with the exact ISO time on hover and for machines. */
export function Timestamp({ date, compact = false }: { date: Date; compact?: boolean }) {
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()} className="tabular-nums">
      {compact ? short.format(date) : full.format(date)}
    </time>
  );
}

/** `YYYY-MM-DDTHH:mm:ss` in local time, the value format of <input type="datetime-local">. */
export function toLocalInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The local time an <input type="datetime-local"> holds, or undefined when it is empty or invalid. */
export function fromLocalInputValue(value: string): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
