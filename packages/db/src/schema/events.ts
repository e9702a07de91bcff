import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { xid8 } from './types.ts';

/** The append-only log. UPDATE, DELETE and TRUNCATE are refused by triggers (see migrations). */
export const events = pgTable(
  'events',
  {
    position: bigint('position', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    transactionId: xid8('transaction_id').notNull().default(sql`pg_current_xact_id()`),
    streamId: text('stream_id').notNull(),
    streamType: text('stream_type').notNull(),
    version: integer('version').notNull(),
    eventId: uuid('event_id').notNull().defaultRandom(),
    type: text('type').notNull(),
    schemaVersion: integer('schema_version').notNull(),
    data: jsonb('data').notNull(),
    metadata: jsonb('metadata').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('events_stream_version_key').on(t.streamId, t.version),
    uniqueIndex('events_event_id_key').on(t.eventId),
    index('events_commit_order_idx').on(t.transactionId, t.position),
    index('events_type_idx').on(t.type, t.position),
    index('events_stream_type_idx').on(t.streamType, t.position),
  ],
);

/** One row per stream: its type and current version. The row lock serialises writers of a stream. */
export const streams = pgTable('streams', {
  streamId: text('stream_id').primaryKey(),
  streamType: text('stream_type').notNull(),
  version: integer('version').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** The first result of every command that carried a command id, so a retry appends nothing. */
export const commandResults = pgTable('command_results', {
  commandId: text('command_id').primaryKey(),
  result: jsonb('result').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Aggregate state at a version. `stateVersion` names the shape of `state`; other shapes are ignored. */
export const snapshots = pgTable(
  'snapshots',
  {
    streamId: text('stream_id').notNull(),
    version: integer('version').notNull(),
    stateVersion: integer('state_version').notNull(),
    state: jsonb('state').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.streamId, t.version] })],
);
