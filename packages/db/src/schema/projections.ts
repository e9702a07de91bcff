import { bigint, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { xid8 } from './types.ts';

/**
 * Where each async projection or reactor stands in commit order, and who runs it. The row is
 * locked and moved in the same transaction as the read-model change, so a crash neither loses
 * nor repeats an event, even if two workers ever ran at once.
 */
export const projectionCheckpoints = pgTable('projection_checkpoints', {
  name: text('name').primaryKey(),
  transactionId: xid8('transaction_id').notNull().default('0'),
  position: bigint('position', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  /** The worker holding the projection's advisory lock, and when it last said so. */
  workerId: text('worker_id'),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, mode: 'date' }),
  lastError: text('last_error'),
});

/** Progress of the latest rebuild of each projection, readable from any api process. */
export const projectionRebuilds = pgTable('projection_rebuilds', {
  name: text('name').primaryKey(),
  status: text('status', { enum: ['running', 'done', 'failed'] }).notNull(),
  eventsDone: integer('events_done').notNull().default(0),
  eventsTotal: integer('events_total').notNull().default(0),
  eventsPerSecond: real('events_per_second').notNull().default(0),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  error: text('error'),
});

/** Messages for the outside world, written by async reactors; the event id de-duplicates. */
export const outbox = pgTable('outbox', {
  eventId: uuid('event_id').primaryKey(),
  topic: text('topic').notNull(),
  payload: jsonb('payload').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
});

/** Events per stream type and event type: a small activity read model (and a double-apply detector). */
export function eventStatsTable(name = 'event_stats') {
  return pgTable(
    name,
    {
      streamType: text('stream_type').notNull(),
      type: text('type').notNull(),
      count: integer('count').notNull(),
      lastPosition: bigint('last_position', { mode: 'number' }).notNull(),
      lastRecordedAt: timestamp('last_recorded_at', { withTimezone: true, mode: 'date' }).notNull(),
    },
    (t) => [primaryKey({ name: `${name}_pk`, columns: [t.streamType, t.type] })],
  );
}
export const eventStats = eventStatsTable();
export type EventStatsTable = ReturnType<typeof eventStatsTable>;
