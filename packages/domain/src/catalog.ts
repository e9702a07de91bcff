import { identityEvents } from './identity/events.ts';
import { type DomainEvent, type EventCatalog, eventCatalog } from './kernel/events.ts';
import { publishingEvents } from './publishing/events.ts';
import { shopEvents } from './shop/events.ts';

/** Every event type of every context: what the api decodes, upcasts and redacts with. */
export const domainEvents: EventCatalog<DomainEvent> = eventCatalog([
  ...identityEvents.definitions,
  ...shopEvents.definitions,
  ...publishingEvents.definitions,
]) as unknown as EventCatalog<DomainEvent>;
