import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One-time tickets for opening a live event stream. A browser's EventSource cannot send headers,
 * so whatever authenticates it travels in the URL, where proxies and logs keep it: a ticket is
 * worth one connection within a minute, never the session itself. Only its SHA-256 is stored.
 * Not a read model: tickets are not events and a rebuild never touches them.
 */
export const streamTickets = pgTable('stream_tickets', {
  ticketHash: text('ticket_hash').primaryKey(),
  sessionId: text('session_id').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
});
