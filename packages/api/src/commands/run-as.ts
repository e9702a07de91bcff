import type { Plan } from '@strata/domain';
import type { ApiContext } from '../context.ts';
import type { Session } from '../identity/sessions.ts';

export type AuthedContext = ApiContext & { session: Session };

/** Runs a plan as the signed-in user: who did it and which request travel with every event. */
export function runAs<PrimaryState>(ctx: AuthedContext, plan: Plan<PrimaryState>, commandId?: string) {
  return ctx.app.commands.run(plan, {
    commandId,
    metadata: { actorId: ctx.session.user.userId, requestId: ctx.requestId, correlationId: ctx.requestId },
  });
}

/** What every mutation answers besides its own fields. */
export const streamPosition = (r: { streamId: string; version: number; position: number }) => ({
  streamId: r.streamId,
  version: r.version,
  position: r.position,
});
