import { router } from '../trpc.ts';
import { authRouter } from './auth.ts';
import { eventsRouter } from './events.ts';
import { projectionsRouter } from './projections.ts';
import { systemRouter } from './system.ts';
import { usersRouter } from './users.ts';

export const appRouter = router({
  system: systemRouter,
  auth: authRouter,
  users: usersRouter,
  events: eventsRouter,
  projections: projectionsRouter,
});

/** The api's type: the SDK and the web app are typed by it, never by a hand-written spec. */
export type AppRouter = typeof appRouter;
