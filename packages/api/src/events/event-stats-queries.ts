import { asc, eventStats, type StrataDb } from '@strata/db';

/** Events per stream type and type: the async `event_stats` read model, as it stands. */
export function eventStatsRows(db: StrataDb) {
  // In a fixed order: a rebuilt table holds the same rows in another physical order.
  return db.select().from(eventStats).orderBy(asc(eventStats.streamType), asc(eventStats.type));
}
