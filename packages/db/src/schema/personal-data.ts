import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One data key per person (subject), wrapped by the master key. Personal fields of events are
 * sealed with it; deleting the row forgets the person: their fields can never be read again,
 * while the append-only log keeps every event. Outside the log on purpose: this table is the one
 * place a deletion is allowed to change history.
 */
export const personalDataKeys = pgTable('personal_data_keys', {
  subject: text('subject').primaryKey(),
  wrappedKey: text('wrapped_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Facts about this database the process checks at start: which master key it was made with, migrations done in code. */
export const strataSettings = pgTable('strata_settings', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
});
