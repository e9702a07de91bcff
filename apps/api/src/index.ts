export type { App } from './app.ts';
export { createApp } from './app.ts';
export { createDemoUsers, issueBootstrapPassword } from './identity/bootstrap.ts';
export { createLogger } from './logger.ts';
export { publishingRoutes } from './publishing/feed-routes.ts';
export type { AppRouter } from './routers/index.ts';
export { type ApiServer, startApiServer } from './server.ts';
