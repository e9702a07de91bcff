'use client';

import type { UserHistoryEvent } from '../../../../api/trpc';
import { Button } from '../../../../ui/button';
import { PersonalValue, PersonName } from '../../../../ui/erased';
import { Timestamp } from '../../../../ui/time';
import { userEventTitle } from '../../../events/event-type';
import { changesOf } from './user-changes';

/** The user's stream, newest first: what happened, who did it, when, and what changed. */
export function HistoryTimeline({
  history,
  onShowVersion,
}: {
  history: UserHistoryEvent[];
  onShowVersion(version: number): void;
}) {
  const changes = changesOf(history);
  const items = history.map((event, index) => ({ event, changes: changes[index] ?? [] })).reverse();
  return (
    <ol className="px-4 py-2 sm:px-5" aria-label="History">
      {items.map(({ event, changes }, index) => (
        <li key={event.eventId} className="relative flex gap-4 pb-5 last:pb-2">
          {index < items.length - 1 ? (
            <span aria-hidden="true" className="absolute top-5 bottom-0 left-[0.6875rem] w-px bg-zinc-200" />
          ) : null}
          <span
            aria-hidden="true"
            className="relative mt-1 grid size-6 shrink-0 place-items-center rounded-full bg-indigo-50 text-[0.625rem] font-semibold text-indigo-800 ring-1 ring-indigo-200"
          >
            {event.version}
          </span>
          <div className="min-w-0 flex-1 pt-0.5">
            <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
              <h3 className="text-sm font-semibold text-zinc-900">
                {userEventTitle(event.type)} <span className="font-normal text-zinc-600">· v{event.version}</span>
              </h3>
              <Button size="sm" variant="ghost" onClick={() => onShowVersion(event.version)}>
                View as of v{event.version}
              </Button>
            </div>
            <p className="text-sm text-zinc-600">
              by{' '}
              <PersonName name={event.actorName ?? event.actorId ?? 'system'} className="font-medium text-zinc-800" /> ·{' '}
              <Timestamp date={event.recordedAt} />
            </p>
            {changes.length > 0 ? (
              <ul className="mt-1.5 flex flex-col gap-0.5 text-sm">
                {changes.map((change) => (
                  <li key={change.field} className="break-words text-zinc-800">
                    <span className="text-zinc-600">{change.field}:</span>{' '}
                    {change.to === undefined ? (
                      'changed'
                    ) : change.from === undefined ? (
                      <ChangedValue value={change.to} />
                    ) : (
                      <>
                        <ChangedValue value={change.from} before /> → <ChangedValue value={change.to} />
                      </>
                    )}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}

/** A value a change set or replaced; erased personal data shows as the erased badge. */
function ChangedValue({ value, before = false }: { value: string; before?: boolean }) {
  return (
    <PersonalValue value={value}>
      <span className={before ? 'text-zinc-600 line-through' : 'font-medium'}>{value}</span>
    </PersonalValue>
  );
}
