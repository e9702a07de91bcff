import { browseEvents, checkpointAt, readAll } from '@strata/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { toEventViews } from '../events/event-view.ts';
import { authedProcedure, router } from '../trpc.ts';

const filters = {
  streamType: z.string().max(200).optional(),
  streamId: z.string().max(500).optional(),
  type: z.string().max(200).optional(),
  actorId: z.string().max(200).optional(),
};

export const listEventsInput = z.object({
  /** Forward, in commit order, after this position (resume with `nextPosition`). */
  afterPosition: z.number().int().nonnegative().optional(),
  /** Newest first, before this position: for browsing history. */
  beforePosition: z.number().int().positive().optional(),
  direction: z.enum(['forward', 'backward']).default('forward'),
  limit: z.number().int().min(1).max(500).default(100),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  ...filters,
});

export const eventsRouter = router({
  list: authedProcedure.input(listEventsInput).query(async ({ ctx, input }) => {
    const db = ctx.app.database.db;
    if (input.direction === 'forward' && !input.from && !input.to) {
      const after = await checkpointAt(db, input.afterPosition ?? 0).catch(() => {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `no event at position ${input.afterPosition}` });
      });
      const { events, checkpoint } = await readAll(db, { ...input, after, limit: input.limit });
      return { items: await toEventViews(db, ctx.app.catalog, events), nextPosition: checkpoint.position };
    }
    // Browsing by time or newest first: ordered by position, committed events only.
    const events = await browseEvents(db, input);
    return {
      items: await toEventViews(db, ctx.app.catalog, events),
      nextPosition: events.at(-1)?.position ?? input.afterPosition ?? 0,
    };
  }),
});
