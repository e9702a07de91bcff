export { createLogger } from './logger.ts';
export { publishingRoutes } from './publishing/feed-routes.ts';
export { type ApiServer, startApiServer } from './server.ts';
