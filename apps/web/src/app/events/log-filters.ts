import type { EventFilters } from '../../api/trpc';
import { fromLocalInputValue } from '../../ui/time';

/** The filter form as typed (strings); empty means "any". */
export interface LogFilters {
  type: string;
  streamType: string;
  streamId: string;
  actorId: string;
  /** `YYYY-MM-DDTHH:mm[:ss]`, local time. */
  from: string;
  to: string;
}

export const noFilters: LogFilters = { type: '', streamType: '', streamId: '', actorId: '', from: '', to: '' };

export function toApiFilters(filters: LogFilters): EventFilters {
  const text = (value: string) => value.trim() || undefined;
  return {
    type: text(filters.type),
    streamType: text(filters.streamType),
    streamId: text(filters.streamId),
    actorId: text(filters.actorId),
    from: fromLocalInputValue(filters.from),
    to: fromLocalInputValue(filters.to),
  };
}

/** How many filters hold something. */
export const countFilters = (filters: LogFilters) => Object.values(filters).filter((v) => v.trim()).length;
