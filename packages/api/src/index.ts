/**
 * The api as a library: the tRPC router of every bounded context, its context and error mapper,
 * and the per-context handlers and queries. The process that serves it (HTTP server, CLI, worker,
 * logger, demo data) is `apps/server` (@strata/server); the SDK and the web app are typed by
 * `AppRouter` from here and never import an app.
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './routers/index.ts';

export { type App, type AppOptions, createApp, type Logger, readModels, silentLogger } from './app.ts';
export {
  type ApiContext,
  type CallMetrics,
  type ContextDeps,
  createContext,
  maxPasswordChecksPerBatch,
  sessionCookie,
} from './context.ts';
export { toTRPCError } from './errors.ts';
export { loadAccountByEmail } from './identity/accounts.ts';
export {
  createDemoUsers,
  demoUsers,
  ensureBootstrapPassword,
  issueBootstrapPassword,
  readBootstrapState,
  type StartupBootstrap,
} from './identity/bootstrap.ts';
export { hashPassword } from './identity/passwords.ts';
export {
  createSignInThrottle,
  defaultSignInLimits,
  type SignInLimits,
  type SignInThrottle,
} from './identity/sign-in-throttle.ts';
export { latestPublished, sitemapEntries } from './publishing/feed-queries.ts';
export { type AppRouter, appRouter } from './routers/index.ts';
export { createCallerFactory } from './trpc.ts';

/** Every procedure's input, by path: `RouterInputs['users']['create']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Every procedure's output, by path: `RouterOutputs['users']['list']`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
