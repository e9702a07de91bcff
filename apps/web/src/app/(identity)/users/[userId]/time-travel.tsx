'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { type UserHistoryEvent, type UserRow, useTRPC } from '../../../../api/trpc';
import { Badge } from '../../../../ui/badge';
import { Button } from '../../../../ui/button';
import { cn } from '../../../../ui/cn';
import { PersonalValue, PersonName } from '../../../../ui/erased';
import { ErrorState, LoadingState } from '../../../../ui/states';
import { fromLocalInputValue, Timestamp, toLocalInputValue } from '../../../../ui/time';
import { userEventTitle } from '../../../events/event-type';

const fields = ['name', 'email', 'role', 'status'] as const;

interface TimeTravelProps {
  userId: string;
  history: UserHistoryEvent[];
  current: UserRow;
  /** A version chosen elsewhere (the timeline); null shows the newest. */
  pickedVersion: number | null;
  onPickVersion(version: number | null): void;
}

/**
 * A slider over the user's versions and a date picker; either one asks users.asOf for the user
 * as they were then, shown beside the user as they are now.
 */
export function TimeTravel({ userId, history, current, pickedVersion, onPickVersion }: TimeTravelProps) {
  const trpc = useTRPC();
  const sliderId = useId();
  const dateId = useId();
  const latest = history.at(-1)?.version ?? current.version;
  const [at, setAt] = useState<Date | undefined>(undefined);
  const version = Math.min(pickedVersion ?? latest, latest);
  const input = at ? { userId, at } : { userId, version };
  const then = useQuery({ ...trpc.users.asOf.queryOptions(input), placeholderData: keepPreviousData });

  const shownVersion = at ? (then.data?.version ?? null) : version;
  const event = history.find((e) => e.version === shownVersion);
  const first = history[0]?.recordedAt;

  return (
    <div className="flex flex-col gap-5 px-4 py-4 sm:px-5">
      <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_15rem]">
        <div className="flex flex-col gap-1.5">
          <label htmlFor={sliderId} className="text-sm font-medium text-zinc-800">
            Version
          </label>
          <input
            id={sliderId}
            type="range"
            min={1}
            max={latest}
            step={1}
            value={shownVersion ?? 1}
            disabled={latest <= 1}
            aria-valuetext={`Version ${shownVersion ?? '–'} of ${latest}${event ? `: ${userEventTitle(event.type)}` : ''}`}
            onChange={(e) => {
              setAt(undefined);
              onPickVersion(Number(e.target.value));
            }}
            className="h-10 w-full cursor-pointer accent-indigo-600 disabled:cursor-not-allowed"
          />
          <div className="flex justify-between text-xs text-zinc-600 tabular-nums" aria-hidden="true">
            <span>v1</span>
            <span>v{latest}</span>
          </div>
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor={dateId} className="text-sm font-medium text-zinc-800">
            Or a moment
          </label>
          <input
            id={dateId}
            type="datetime-local"
            step={1}
            min={first ? toLocalInputValue(first) : undefined}
            value={at ? toLocalInputValue(at) : ''}
            onChange={(e) => setAt(fromLocalInputValue(e.target.value))}
            className="block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm text-zinc-900 shadow-xs"
          />
        </div>
      </div>

      <div
        className="flex flex-wrap items-center justify-between gap-3 rounded-md bg-zinc-50 px-3 py-2.5 text-sm"
        aria-live="polite"
      >
        <p className="text-zinc-700">
          {at ? (
            <>
              At <Timestamp date={at} />:{' '}
            </>
          ) : null}
          {event ? (
            <>
              <span className="font-medium text-zinc-900">
                Version {event.version} of {latest}
              </span>{' '}
              — {userEventTitle(event.type)} by <PersonName name={event.actorName ?? event.actorId ?? 'system'} />,{' '}
              <Timestamp date={event.recordedAt} />
            </>
          ) : at && then.data && !then.data.exists ? (
            <span className="font-medium text-zinc-900">before this user existed</span>
          ) : null}
        </p>
        {at || version !== latest ? (
          <Button
            size="sm"
            onClick={() => {
              setAt(undefined);
              onPickVersion(null);
            }}
          >
            Back to now
          </Button>
        ) : null}
      </div>

      {then.isPending ? (
        <LoadingState label="Travelling…" />
      ) : then.isError ? (
        <ErrorState title="Could not load that version" error={then.error} onRetry={() => void then.refetch()} />
      ) : !then.data.exists ? (
        <p className="rounded-md border border-dashed border-zinc-300 px-4 py-6 text-center text-sm text-zinc-600">
          This user did not exist yet at that moment. Pick a later time, or use the slider.
        </p>
      ) : (
        <ThenAndNow then={then.data.user} thenVersion={then.data.version} now={current} />
      )}
    </div>
  );
}

function ThenAndNow({
  then,
  thenVersion,
  now,
}: {
  then: Record<(typeof fields)[number], string>;
  thenVersion: number;
  now: UserRow;
}) {
  const differences = fields.filter((field) => then[field] !== now[field]).length;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="pb-2 text-left text-sm text-zinc-600">
          {differences === 0
            ? `Version ${thenVersion} looks the same as now.`
            : `${differences} ${differences === 1 ? 'field differs' : 'fields differ'} from now.`}
        </caption>
        <thead className="text-xs font-medium tracking-wide text-zinc-600 uppercase">
          <tr className="border-b border-zinc-200">
            <th scope="col" className="py-2 pr-3">
              Field
            </th>
            <th scope="col" className="px-3 py-2">
              Then (v{thenVersion})
            </th>
            <th scope="col" className="py-2 pl-3">
              Now (v{now.version})
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {fields.map((field) => {
            const changed = then[field] !== now[field];
            return (
              <tr key={field} className={cn(changed && 'bg-amber-50')}>
                <th scope="row" className="py-2 pr-3 font-medium text-zinc-700">
                  <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                    <span className="capitalize">{field}</span>
                    {changed ? <Badge tone="amber">changed</Badge> : null}
                  </span>
                </th>
                <td className={cn('px-3 py-2 [overflow-wrap:anywhere]', changed ? 'text-amber-950' : 'text-zinc-900')}>
                  <PersonalValue value={then[field]} />
                </td>
                <td className="py-2 pl-3 [overflow-wrap:anywhere] text-zinc-900">
                  <PersonalValue value={now[field]} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
