import { eventStats, type StrataDb } from '@strata/db';

/** Events per stream type and type: the async `event_stats` read model, as it stands. */
export function eventStatsRows(db: StrataDb) {
  return db.select().from(eventStats);
}
