import type { DomainEvent } from './events.ts';

/** Context a projector gets beside the event: where and when it was recorded. */
export interface ProjectedEventContext {
  streamId: string;
  version: number;
  position: number;
  recordedAt: Date;
  actorId: string | null;
}

/** A pure projector: one event to the read-model changes it causes. */
export type Projector<Event extends DomainEvent, Change> = (event: Event, context: ProjectedEventContext) => Change[];
