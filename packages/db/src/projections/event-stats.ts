import { sql } from 'drizzle-orm';
import { type EventStatsTable, eventStatsTable } from '../schema/projections.ts';
import { defineProjection } from './projection.ts';

/** Counts events per stream type and event type (the activity chart's data). Every type counts. */
export function eventStatsProjection(eventTypes: readonly string[]) {
  return defineProjection<{ stats: EventStatsTable }>({
    name: 'event_stats',
    mode: 'async',
    eventTypes,
    tables: (suffix) => ({ stats: eventStatsTable(`event_stats${suffix}`) }),
    tableNames: ['event_stats'],
    async apply(tx, events, { stats }) {
      const counts = new Map<
        string,
        { streamType: string; type: string; count: number; lastPosition: number; lastRecordedAt: Date }
      >();
      for (const e of events) {
        const key = `${e.streamType}\u0000${e.type}`;
        const row = counts.get(key) ?? {
          streamType: e.streamType,
          type: e.type,
          count: 0,
          lastPosition: 0,
          lastRecordedAt: e.recordedAt,
        };
        row.count += 1;
        row.lastPosition = Math.max(row.lastPosition, e.position);
        row.lastRecordedAt = e.recordedAt;
        counts.set(key, row);
      }
      // Increments, not overwrites: applying a batch twice would show, which is the point.
      await tx
        .insert(stats)
        .values([...counts.values()])
        .onConflictDoUpdate({
          target: [stats.streamType, stats.type],
          set: {
            count: sql`${stats.count} + excluded.count`,
            lastPosition: sql`greatest(${stats.lastPosition}, excluded.last_position)`,
            lastRecordedAt: sql`excluded.last_recorded_at`,
          },
        });
    },
  });
}
