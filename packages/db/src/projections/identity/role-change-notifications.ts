import { identityEvents, userIdOfStream } from '@strata/domain';
import { outbox } from '../../schema/projections.ts';
import type { AsyncReactor } from '../processor.ts';

/**
 * Tells the outside world when someone's role changes: one outbox message per event, keyed by
 * the event id, so running twice after a crash writes it once.
 */
export const roleChangeNotifications: AsyncReactor = {
  name: 'role-change-notifications',
  eventTypes: ['UserRoleChanged'],
  async handle(tx, events) {
    const messages = events.map((stored) => {
      const event = identityEvents.decode(stored);
      return {
        eventId: stored.eventId,
        topic: 'user.role_changed',
        payload: {
          userId: userIdOfStream(stored.streamId),
          role: (event.data as { role: string }).role,
          changedBy: stored.metadata.actorId ?? null,
          at: stored.recordedAt.toISOString(),
        },
      };
    });
    await tx.insert(outbox).values(messages).onConflictDoNothing();
  },
};
