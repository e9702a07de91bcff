import type { DomainEvent } from './events.ts';

/** Context a projector gets beside the event: where and when it was recorded. */
export interface ProjectedEventContext {
  streamId: string;
  version: number;
  position: number;
  recordedAt: Date;
  actorId: string | null;
}

/**
 * What a row projector gets: everything but the position. Inline read models are computed before
 * their events reach the database (so the append and the row changes travel in one statement), and
 * only the database hands out positions.
 */
export type RowEventContext = Omit<ProjectedEventContext, 'position'>;

/** A pure projector: one event to the read-model changes it causes. */
export type Projector<Event extends DomainEvent, Change, Context = ProjectedEventContext> = (
  event: Event,
  context: Context,
) => Change[];
