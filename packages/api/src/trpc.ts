import { WrongExpectedVersionError } from '@strata/db';
import { DomainError, type Plan } from '@strata/domain';
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import type { OpenApiMeta } from 'trpc-to-openapi';
import type { ApiContext } from './context.ts';
import { fieldErrorsOf, toTRPCError } from './errors.ts';
import type { Session } from './identity/sessions.ts';

// `meta.openapi` places a query or mutation in the OpenAPI document and under /api (see openapi/).
const t = initTRPC
  .context<ApiContext>()
  .meta<OpenApiMeta>()
  .create({
    transformer: superjson,
    // Stack traces never leave the server.
    isDev: false,
    // A connection that dies without closing (a network drop, a proxy) is noticed: the server pings
    // every 15 s, and a client that hears nothing for 40 s reconnects with a fresh ticket and resumes.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      return {
        ...shape,
        // Whatever reached here unmapped (a streaming subscription, an adapter) never shows its
        // message: for a database error that is the SQL and its parameters.
        message: error.code === 'INTERNAL_SERVER_ERROR' ? 'internal error' : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          /** True when the same call may succeed if sent again shortly (the database was unreachable). */
          retryable: error.code === 'SERVICE_UNAVAILABLE',
          path: shape.data.path,
          fieldErrors: error.code === 'BAD_REQUEST' ? (fieldErrorsOf(cause) ?? null) : null,
          domainCode: cause instanceof DomainError ? cause.code : null,
          /** What the rule saw, e.g. `{ sku, available, requested }` for item.insufficient_stock. */
          domainDetails: cause instanceof DomainError ? cause.details : null,
          conflict:
            cause instanceof WrongExpectedVersionError
              ? { streamId: cause.streamId, expected: cause.expected, actual: cause.actual }
              : null,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** One log line per call (procedure, outcome, duration) and the one error mapper. */
const observed = t.procedure.use(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  const seconds = (performance.now() - started) / 1000;
  const durationMs = Math.round(seconds * 10_000) / 10;
  if (result.ok) {
    ctx.metrics?.recordCall({ procedure: path, type, outcome: 'ok', seconds });
    ctx.app.logger.info({ procedure: path, type, outcome: 'ok', durationMs, requestId: ctx.requestId }, 'call');
    return result;
  }
  const mapped = toTRPCError(result.error);
  ctx.metrics?.recordCall({ procedure: path, type, outcome: mapped.code, seconds });
  const log = { procedure: path, type, outcome: mapped.code, durationMs, requestId: ctx.requestId };
  if (mapped.code === 'INTERNAL_SERVER_ERROR')
    ctx.app.logger.error({ ...log, err: result.error.cause ?? result.error }, 'call failed');
  else ctx.app.logger.info(log, 'call');
  throw mapped;
});

export const publicProcedure = observed;

/** The caller's session, or UNAUTHORIZED. */
function signedIn(ctx: ApiContext): Session {
  if (!ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
  return ctx.session;
}

// tRPC merges what a middleware passes into the context (a copy per middleware): only what changes goes in.
export const authedProcedure = observed.use(({ ctx, next }) => next({ ctx: { session: signedIn(ctx) } }));

/**
 * Every mutation outside `auth.*` needs an admin; viewers get FORBIDDEN. Its own middleware rather
 * than a second level on `authedProcedure`: each level costs every call a copy of tRPC's call
 * options.
 */
export const adminProcedure = observed.use(({ ctx, next }) => {
  const session = signedIn(ctx);
  if (session.user.role !== 'admin')
    throw new TRPCError({ code: 'FORBIDDEN', message: 'only admins can change things' });
  return next({ ctx: { session } });
});

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
