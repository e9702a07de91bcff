import { hash, randomBytes } from 'node:crypto';
import { and, eq, gt, lte, type StrataDb, streamTickets } from '@strata/db';
import { findSessionById, type Session } from './sessions.ts';

/** Long enough to open the stream right after asking, short enough that a logged URL is useless. */
export const streamTicketTtlMs = 60_000;

const hashOf = (ticket: string) => hash('sha256', ticket, 'hex');

/** A ticket worth one live-stream connection for this session, within {@link streamTicketTtlMs}. */
export async function issueStreamTicket(db: StrataDb, sessionId: string): Promise<{ ticket: string; expiresAt: Date }> {
  const ticket = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + streamTicketTtlMs);
  // Tickets nobody redeemed are cleared as new ones are issued, so the table stays small.
  await db.delete(streamTickets).where(lte(streamTickets.expiresAt, new Date()));
  await db.insert(streamTickets).values({ ticketHash: hashOf(ticket), sessionId, expiresAt });
  return { ticket, expiresAt };
}

/** The session a ticket was issued for, once: redeeming deletes it. Expired or unknown: null. */
export async function redeemStreamTicket(db: StrataDb, ticket: string): Promise<Session | null> {
  const [row] = await db
    .delete(streamTickets)
    .where(and(eq(streamTickets.ticketHash, hashOf(ticket)), gt(streamTickets.expiresAt, new Date())))
    .returning({ sessionId: streamTickets.sessionId });
  return row ? findSessionById(db, row.sessionId) : null;
}
