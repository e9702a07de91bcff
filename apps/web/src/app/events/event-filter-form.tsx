'use client';

import { useQuery } from '@tanstack/react-query';
import { type ChangeEvent, useMemo, useState } from 'react';
import { type EventView, useTRPC } from '../../api/trpc';
import { Button } from '../../ui/button';
import { cn } from '../../ui/cn';
import { displayName } from '../../ui/erased';
import { SelectField, TextField } from '../../ui/field';
import { countFilters, type LogFilters, noFilters } from './log-filters';

/**
 * The log's filters, applied as they change. Choices: every event type the platform knows, the
 * stream types seen, users as actors. Narrow screens fold the filters away until asked for.
 */
export function EventFilterForm({
  filters,
  onChange,
  events,
}: {
  filters: LogFilters;
  onChange: (update: (current: LogFilters) => LogFilters) => void;
  /** The events shown: their stream types are suggested. */
  events: EventView[];
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const types = useQuery({ ...trpc.events.types.queryOptions(), staleTime: Number.POSITIVE_INFINITY });
  const typeOptions = useMemo(() => {
    const known = types.data ?? [];
    const all = filters.type && !known.includes(filters.type) ? [filters.type, ...known] : known;
    return [{ value: '', label: 'Any type' }, ...all.map((type) => ({ value: type, label: type }))];
  }, [types.data, filters.type]);
  const streamTypes = useMemo(
    () => [...new Set(['user', 'wallet', 'item', 'order', 'article', ...events.map((e) => e.streamType)])].sort(),
    [events],
  );
  const actors = useQuery({ ...trpc.users.list.queryOptions({ limit: 100 }), staleTime: 60_000 });
  const active = countFilters(filters);
  const set = (name: keyof LogFilters) => (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    onChange((current) => ({ ...current, [name]: event.target.value }));

  return (
    <>
      <div className="flex items-center justify-between gap-3 border-b border-zinc-200 px-4 py-3 sm:hidden">
        <span className="text-sm text-zinc-700">
          {active === 0 ? 'No filters' : `${active} ${active === 1 ? 'filter' : 'filters'} on`}
        </span>
        <Button size="sm" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide filters' : 'Filters'}
        </Button>
      </div>
      <form
        aria-label="Filter events"
        className={cn(
          open ? 'grid' : 'hidden',
          'grid-cols-2 gap-3 border-b border-zinc-200 p-4 sm:grid sm:px-5 lg:grid-cols-4',
        )}
        onSubmit={(event) => event.preventDefault()}
      >
        <SelectField label="Event type" value={filters.type} onChange={set('type')} options={typeOptions} />
        <TextField
          label="Stream type"
          placeholder="user"
          list="stream-type-options"
          value={filters.streamType}
          onChange={set('streamType')}
        />
        <div className="col-span-2">
          <TextField label="Stream id" placeholder="user-…" value={filters.streamId} onChange={set('streamId')} />
        </div>
        <div className="col-span-2">
          <TextField
            label="Actor id"
            placeholder="A user id"
            hint="Suggestions list users by name."
            list="actor-options"
            value={filters.actorId}
            onChange={set('actorId')}
          />
        </div>
        <TextField label="From" type="datetime-local" step={1} value={filters.from} onChange={set('from')} />
        <TextField label="To" type="datetime-local" step={1} value={filters.to} onChange={set('to')} />
        <datalist id="stream-type-options">
          {streamTypes.map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
        <datalist id="actor-options">
          {actors.data?.items.map((user) => (
            <option key={user.userId} value={user.userId}>
              {displayName(user.name)}
            </option>
          ))}
        </datalist>
        {active > 0 ? (
          <div className="col-span-2 lg:col-span-4">
            <Button size="sm" variant="ghost" onClick={() => onChange(() => noFilters)}>
              Clear filters
            </Button>
          </div>
        ) : null}
      </form>
    </>
  );
}
