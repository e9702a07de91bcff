import {
  type ApiServer,
  createApp,
  createLogger,
  issueBootstrapPassword,
  publishingRoutes,
  startApiServer,
} from '@strata/api';
import type { Engine } from '@strata/db';
import { createTestDatabase, type TestDatabase } from '@strata/db/testing';
import { createClient } from '../src/index.ts';

/** A real api over HTTP on its own throwaway database, and SDK clients for it. */
export async function startTestApi(engine: Engine) {
  const test: TestDatabase = await createTestDatabase(engine);
  const app = createApp({ database: test.database, logger: createLogger('silent'), readYourWritesTimeoutMs: 1000 });
  const oneTimePassword = await issueBootstrapPassword(app);
  const server: ApiServer = await startApiServer(
    { app, port: 0 },
    publishingRoutes(app, { siteUrl: 'http://localhost:3000' }),
  );
  return {
    app,
    server,
    oneTimePassword: oneTimePassword ?? '',
    url: server.url,
    client: (token?: string) => createClient({ url: server.url, token }),
    async stop() {
      await server.close();
      await test.drop();
    },
  };
}
export type TestApi = Awaited<ReturnType<typeof startTestApi>>;
