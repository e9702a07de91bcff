import {
  browseEvents,
  type Checkpoint,
  checkpointAt,
  currentCheckpoint,
  readAll,
  type StoredEvent,
  subscribe,
} from '@strata/db';
import { TRPCError, tracked } from '@trpc/server';
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

export const liveEventsInput = z.object({
  /** Deliver events after this position; without it, from now on. */
  afterPosition: z.number().int().nonnegative().optional(),
  /** Set by the SSE client when it reconnects: the position of the last event it saw. */
  lastEventId: z.string().regex(/^\d+$/).nullish(),
  ...filters,
});

export const eventsRouter = router({
  /** Every event type the platform knows, for filters. */
  types: authedProcedure.query(({ ctx }) => [...ctx.app.catalog.types].sort()),

  /**
   * Each new event in commit order, over SSE. Resumable: every event's id is its position, and a
   * client that reconnects with the last one it saw misses nothing and sees nothing twice.
   */
  live: authedProcedure.input(liveEventsInput).subscription(async function* ({ ctx, input, signal }) {
    const db = ctx.app.database.db;
    const resumeFrom = input.lastEventId ? Number(input.lastEventId) : input.afterPosition;
    const after: Checkpoint =
      resumeFrom === undefined
        ? await currentCheckpoint(db)
        : await checkpointAt(db, resumeFrom).catch(() => {
            throw new TRPCError({ code: 'BAD_REQUEST', message: `no event at position ${resumeFrom}` });
          });
    const queue: StoredEvent[] = [];
    let wake: (() => void) | undefined;
    const subscription = await subscribe(ctx.app.database, {
      after,
      streamType: input.streamType,
      streamId: input.streamId,
      type: input.type,
      actorId: input.actorId,
      onEvents: async (events) => {
        queue.push(...events);
        wake?.();
        // A slow client holds the reader back instead of growing the queue without bound.
        while (queue.length > 2000 && !signal?.aborted) await new Promise((r) => setTimeout(r, 20));
      },
    });
    try {
      while (!signal?.aborted) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            signal?.addEventListener('abort', () => resolve(), { once: true });
          });
          wake = undefined;
          continue;
        }
        const batch = queue.splice(0, queue.length);
        for (const view of await toEventViews(db, ctx.app.catalog, batch)) {
          yield tracked(String(view.position), view);
        }
      }
    } finally {
      await subscription.stop();
    }
  }),

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
