import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { xid8 } from './types.ts';

/**
 * Where each async projection or reactor stands in commit order. Written in the same
 * transaction as the read-model change, so a crash neither loses nor repeats an event.
 */
export const projectionCheckpoints = pgTable('projection_checkpoints', {
  name: text('name').primaryKey(),
  transactionId: xid8('transaction_id').notNull().default('0'),
  position: bigint('position', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
