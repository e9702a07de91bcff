import { type StoredEvent, type StrataDb, users } from '@strata/db';
import type { DomainEvent, EventCatalog } from '@strata/domain';
import { inArray } from 'drizzle-orm';

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

export async function toEventViews(
  db: StrataDb,
  catalog: EventCatalog<DomainEvent>,
  events: readonly StoredEvent[],
): Promise<EventView[]> {
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
    return {
      position: e.position,
      eventId: e.eventId,
      streamId: e.streamId,
      streamType: e.streamType,
      version: e.version,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: catalog.redact(e.type, e.data),
      metadata: e.metadata,
      actorId,
      actorName: actorId ? (names.get(actorId) ?? (actorId === 'system' ? 'system' : null)) : null,
      recordedAt: e.recordedAt,
    };
  });
}
