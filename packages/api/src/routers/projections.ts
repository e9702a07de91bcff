import { projectionStatuses, startRebuild } from '@strata/db';
import { minPositionSchema, text } from '@strata/domain';
import { z } from 'zod';
import { eventStatsRows } from '../events/event-stats-queries.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';
import { command, query } from './openapi-meta.ts';
import * as o from './outputs.ts';

const rebuildInput = z.object({
  name: text({ max: 100, label: 'name' }).min(1, { error: 'name is required' }),
});

export const projectionsRouter = router({
  status: authedProcedure
    .meta(query('/projections/status', 'Position, lag, worker and rebuild progress of every read model'))
    .output(o.projectionStatuses)
    .query(({ ctx }) => projectionStatuses(ctx.app.database, ctx.app.projections, ctx.app.reactors)),

  /** Replays every event into fresh tables and swaps them in; progress shows in `status`. */
  rebuild: adminProcedure
    .meta(command('/projections/rebuild', 'Rebuild a read model from the log (progress in status)'))
    .output(o.rebuildOutput)
    .input(rebuildInput)
    .mutation(async ({ ctx, input }) => {
      const projection = ctx.app.projectionNamed(input.name);
      const { done } = await startRebuild(ctx.app.database, projection);
      done.then(
        (progress) => ctx.app.logger.info({ projection: input.name, ...progress }, 'rebuild done'),
        (error: unknown) => ctx.app.logger.error({ err: error, projection: input.name }, 'rebuild failed'),
      );
      return { name: input.name };
    }),

  /** Events per stream type and type: the async `event_stats` read model. */
  eventStats: authedProcedure
    .meta(query('/projections/event-stats', 'Events per stream type and type'))
    .output(o.eventStatsOutput)
    .input(z.object({ minPosition: minPositionSchema }).default({}))
    .query(async ({ ctx, input }) => {
      await ctx.app.waitForReadModel('event_stats', input.minPosition);
      return eventStatsRows(ctx.app.database.db);
    }),
});
