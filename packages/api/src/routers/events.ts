import {
  browseEvents,
  type Checkpoint,
  checkpointAt,
  currentCheckpoint,
  readAll,
  type StoredEvent,
  type StrataDb,
  subscribe,
} from '@strata/db';
import { dateSchema, inputLimits, limitSchema, positionSchema, sessionStream, text, userStream } from '@strata/domain';
import { TRPCError, tracked } from '@trpc/server';
import { z } from 'zod';
import { toTRPCError } from '../errors.ts';
import { toEventViews } from '../events/event-view.ts';
import { findSessionById } from '../identity/sessions.ts';
import { authedProcedure, router } from '../trpc.ts';
import { query } from './openapi-meta.ts';
import * as o from './outputs.ts';

const filters = {
  streamType: text({ max: 200, label: 'streamType' }).optional(),
  streamId: text({ max: 500, label: 'streamId' }).optional(),
  type: text({ max: 200, label: 'type' }).optional(),
  actorId: text({ max: 200, label: 'actorId' }).optional(),
};

export const listEventsInput = z.object({
  /** Forward, in commit order, after this position (resume with `nextPosition`). */
  afterPosition: positionSchema.optional(),
  /** Newest first, before this position: for browsing history. */
  beforePosition: positionSchema.min(1, { error: 'beforePosition must be at least 1' }).optional(),
  direction: z.enum(['forward', 'backward']).default('forward'),
  limit: limitSchema(100, 500),
  from: dateSchema.optional(),
  to: dateSchema.optional(),
  ...filters,
});

export const liveEventsInput = z.object({
  /** Deliver events after this position; without it, from now on. */
  afterPosition: positionSchema.optional(),
  /** Set by the SSE client when it reconnects: the position of the last event it saw. */
  lastEventId: text({ max: 16, label: 'lastEventId' })
    .regex(/^\d+$/, { error: 'lastEventId is a position' })
    .refine((id) => Number(id) <= inputLimits.maxPosition, { error: 'lastEventId is beyond the last position' })
    .nullish(),
  ...filters,
});

export const eventsRouter = router({
  /** Every event type the platform knows, for filters. */
  types: authedProcedure
    .meta(query('/events/types', 'Every event type the platform knows'))
    .output(o.eventTypesOutput)
    .query(({ ctx }) => [...ctx.app.catalog.types].sort()),

  /**
   * Each new event in commit order, over SSE. Resumable: every event's id is its position, and a
   * client that reconnects with the last one it saw misses nothing and sees nothing twice. A
   * database outage pauses the stream instead of ending it; it ends, with UNAUTHORIZED, when its
   * session does (logout, deactivation, expiry).
   */
  live: authedProcedure.input(liveEventsInput).subscription(async function* ({ ctx, input, signal }) {
    const { database, catalog, logger } = ctx.app;
    const { sessionId, user } = ctx.session;
    const after = await startingCheckpoint(database.db, input);
    const queue: StoredEvent[] = [];
    let ended = false;
    let sessionOver = false;
    let wake: (() => void) | undefined;
    const nudge = () => wake?.();
    signal?.addEventListener('abort', nudge, { once: true });
    const subscription = await subscribe(database, {
      after,
      streamType: input.streamType,
      streamId: input.streamId,
      type: input.type,
      actorId: input.actorId,
      onEvents: async (events) => {
        queue.push(...events);
        nudge();
        // A slow client holds the reader back instead of growing the queue without bound.
        while (queue.length > 2000 && !ended && !signal?.aborted) await sleep(20);
      },
      onError: (error) => logger.warn({ err: error, procedure: 'events.live' }, 'live events: reading again shortly'),
    });

    // Checked on a timer, for expiry and for filters that hide the events that end a session, and
    // at once when this session's or its user's stream changes.
    const ownStreams = new Set([sessionStream(sessionId), userStream(user.userId)]);
    // sessionStillOpen never rejects (a database error counts as still open), so the timer below
    // keeps running through an outage.
    const checkSession = async () => {
      if (!(await sessionStillOpen(database.db, sessionId))) {
        sessionOver = true;
        nudge();
      }
    };
    let checkTimer: ReturnType<typeof setTimeout> | undefined;
    const scheduleCheck = () => {
      checkTimer = setTimeout(async () => {
        await checkSession();
        if (!ended && !sessionOver) scheduleCheck();
      }, sessionCheckIntervalMs);
    };
    scheduleCheck();

    try {
      while (!signal?.aborted) {
        if (sessionOver) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'the session has ended: sign in again' });
        if (queue.length === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        const batch = queue.slice();
        if (batch.some((event) => ownStreams.has(event.streamId))) {
          await checkSession();
          if (sessionOver) continue;
        }
        const views = await untilDone(() => toEventViews(database.db, catalog, batch, ctx.session.user), {
          stop: () => ended || sessionOver || signal?.aborted === true,
          onError: (error) => logger.warn({ err: error, procedure: 'events.live' }, 'live events: retrying a batch'),
        });
        // Nothing goes out once the session is known to be over, even a batch read before.
        if (!views || sessionOver) continue;
        queue.splice(0, batch.length);
        for (const view of views) yield tracked(String(view.position), view);
      }
    } finally {
      ended = true;
      clearTimeout(checkTimer);
      signal?.removeEventListener('abort', nudge);
      await subscription.stop();
    }
  }),

  list: authedProcedure
    .meta(query('/events/list', 'Events in commit order (or newest first), filtered'))
    .output(o.eventPage)
    .input(listEventsInput)
    .query(async ({ ctx, input }) => {
      const db = ctx.app.database.db;
      if (input.direction === 'forward' && !input.from && !input.to) {
        const after = await checkpointAt(db, input.afterPosition ?? 0).catch(() => {
          throw new TRPCError({ code: 'BAD_REQUEST', message: `no event at position ${input.afterPosition}` });
        });
        const { events, checkpoint } = await readAll(db, { ...input, after, limit: input.limit });
        return {
          items: await toEventViews(db, ctx.app.catalog, events, ctx.session.user),
          nextPosition: checkpoint.position,
        };
      }
      // Browsing by time or newest first: ordered by position, committed events only.
      const events = await browseEvents(db, input);
      return {
        items: await toEventViews(db, ctx.app.catalog, events, ctx.session.user),
        nextPosition: events.at(-1)?.position ?? input.afterPosition ?? 0,
      };
    }),
});

/** How often an open live stream checks that its session is still open (logout, deactivation, expiry). */
const sessionCheckIntervalMs = 2000;
/** Retries of a live stream's database work wait this long at most (the first waits 100 ms). */
const maxRetryDelayMs = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Where a live stream starts: after the event the client saw last, after the position it asked
 * for, or from now. A database error is answered as one (the SDK tries again), not as bad input.
 */
async function startingCheckpoint(db: StrataDb, input: z.infer<typeof liveEventsInput>): Promise<Checkpoint> {
  const resumeFrom = input.lastEventId ? Number(input.lastEventId) : input.afterPosition;
  try {
    if (resumeFrom === undefined) return await currentCheckpoint(db);
    return await checkpointAt(db, resumeFrom);
  } catch (error) {
    if (error instanceof RangeError) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
    throw toTRPCError(error);
  }
}

/** False once the session is ended, expired or its user deactivated; a database error says neither, so true. */
async function sessionStillOpen(db: StrataDb, sessionId: string): Promise<boolean> {
  try {
    return (await findSessionById(db, sessionId)) !== null;
  } catch {
    return true;
  }
}

/**
 * Runs `work` until it succeeds, waiting longer after each failure (capped); undefined when `stop`
 * says to give up first.
 */
async function untilDone<T>(
  work: () => Promise<T>,
  options: { stop: () => boolean; onError: (error: unknown) => void },
): Promise<T | undefined> {
  for (let failures = 0; !options.stop(); failures++) {
    try {
      return await work();
    } catch (error) {
      options.onError(error);
      const deadline = Date.now() + Math.min(maxRetryDelayMs, 100 * 2 ** failures);
      // Short steps, so a closed stream or an ended session does not wait out the whole delay.
      while (Date.now() < deadline && !options.stop()) await sleep(50);
    }
  }
  return undefined;
}
