import type { StoredEvent } from '@strata/db';
import { domainEvents } from '@strata/domain';

/**
 * An event as one JSON line, exactly as stored (secret fields included): what `events export`
 * writes and `events tail --json` prints, so a tail can continue an export's file.
 */
export function eventJson(event: StoredEvent): string {
  return JSON.stringify({
    position: event.position,
    transactionId: event.transactionId,
    streamId: event.streamId,
    streamType: event.streamType,
    version: event.version,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    recordedAt: event.recordedAt.toISOString(),
    data: event.data,
    metadata: event.metadata,
  });
}

/** An event for a person: position, time, stream and version, type, actor and data without secrets. */
export function eventLine(event: StoredEvent): string {
  const actor = event.metadata.actorId ? `  by ${event.metadata.actorId}` : '';
  const data = JSON.stringify(domainEvents.redact(event.type, event.data));
  return `#${event.position}  ${event.recordedAt.toISOString()}  ${event.streamId} v${event.version}  ${event.type}${actor}  ${data}`;
}
