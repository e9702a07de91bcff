import { inArray, type StoredEvent, type StrataDb, users } from '@strata/db';
import type { DomainEvent, EventCatalog, Role } from '@strata/domain';

/** An event as the api shows it: secrets removed, the actor's name beside its id. */
export interface EventView {
  position: number;
  eventId: string;
  streamId: string;
  streamType: string;
  version: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  actorId: string | null;
  actorName: string | null;
  recordedAt: Date;
}

/**
 * Streams that tell who tried to sign in (by email) and which sessions exist (by id). Only admins see
 * their ids and those fields; anyone else sees that the event happened, and when.
 */
const adminOnly: Record<string, { fields: readonly string[] }> = {
  'login-attempts': { fields: ['email', 'userId'] },
  session: { fields: ['sessionId'] },
};

/** `login-<key>` → `login-…`: the kind of stream stays visible, the rest does not. */
const maskedStreamId = (streamId: string) => `${streamId.slice(0, streamId.indexOf('-') + 1)}…`;

function withoutFields(data: unknown, fields: readonly string[]): unknown {
  if (typeof data !== 'object' || data === null) return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => !fields.includes(key)));
}

/**
 * Stored events as `viewer` may see them: secrets never, sign-in and session details only when the
 * viewer is an admin. Without a viewer, as a non-admin would.
 */
export async function toEventViews(
  db: StrataDb,
  catalog: EventCatalog<DomainEvent>,
  events: readonly StoredEvent[],
  viewer?: { role: Role },
): Promise<EventView[]> {
  const isAdmin = viewer?.role === 'admin';
  const actorIds = [
    ...new Set(events.map((e) => e.metadata.actorId).filter((id): id is string => typeof id === 'string')),
  ];
  const names = new Map<string, string>();
  if (actorIds.length > 0) {
    const rows = await db
      .select({ userId: users.userId, name: users.name })
      .from(users)
      .where(inArray(users.userId, actorIds));
    for (const row of rows) names.set(row.userId, row.name);
  }
  return events.map((e) => {
    const actorId = typeof e.metadata.actorId === 'string' ? e.metadata.actorId : null;
    const hidden = isAdmin ? undefined : adminOnly[e.streamType];
    const data = catalog.redact(e.type, e.data);
    return {
      position: e.position,
      eventId: e.eventId,
      streamId: hidden ? maskedStreamId(e.streamId) : e.streamId,
      streamType: e.streamType,
      version: e.version,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: hidden ? withoutFields(data, hidden.fields) : data,
      metadata: e.metadata,
      actorId,
      actorName: actorId ? (names.get(actorId) ?? (actorId === 'system' ? 'system' : null)) : null,
      recordedAt: e.recordedAt,
    };
  });
}
