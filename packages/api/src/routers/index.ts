import { router } from '../trpc.ts';
import { articlesRouter } from './articles.ts';
import { authRouter } from './auth.ts';
import { eventsRouter } from './events.ts';
import { inventoryRouter } from './inventory.ts';
import { ordersRouter } from './orders.ts';
import { projectionsRouter } from './projections.ts';
import { systemRouter } from './system.ts';
import { usersRouter } from './users.ts';
import { walletsRouter } from './wallets.ts';

export const appRouter = router({
  system: systemRouter,
  auth: authRouter,
  users: usersRouter,
  events: eventsRouter,
  projections: projectionsRouter,
  wallets: walletsRouter,
  inventory: inventoryRouter,
  orders: ordersRouter,
  articles: articlesRouter,
});

/** The api's type: the SDK and the web app are typed by it, never by a hand-written spec. */
export type AppRouter = typeof appRouter;
