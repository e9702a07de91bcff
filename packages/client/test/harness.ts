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
import { createClient, isTRPCClientError, type RouterInputs, type StrataClient } from '../src/index.ts';

const firstAdmin = { email: 'root@example.com', name: 'Root', password: 'root-password-1' };

/** A real api over HTTP on its own throwaway database, and SDK clients for it. */
export async function startTestApi(engine: Engine) {
  const test: TestDatabase = await createTestDatabase(engine);
  const app = createApp({ database: test.database, logger: createLogger('silent'), readYourWritesTimeoutMs: 1000 });
  const oneTimePassword = await issueBootstrapPassword(app);
  const server: ApiServer = await startApiServer(
    { app, port: 0 },
    publishingRoutes(app, { siteUrl: 'http://localhost:3000' }),
  );
  const client = (token?: string) => createClient({ url: server.url, token });
  return {
    app,
    server,
    oneTimePassword: oneTimePassword ?? '',
    url: server.url,
    client,
    /** Creates the first admin with the one-time password; returns their token and a client. */
    async bootstrapAdmin(admin: { email: string; name: string; password: string } = firstAdmin) {
      const { token } = await client().auth.bootstrapAdmin.mutate({
        ...admin,
        oneTimePassword: oneTimePassword ?? '',
      });
      return { token, client: client(token) };
    },
    /** Has `root` create this user, then signs in as them. */
    async signInNewUser(root: StrataClient, user: RouterInputs['users']['create']) {
      await root.users.create.mutate(user);
      const { token } = await client().auth.login.mutate({ email: user.email, password: user.password });
      return client(token);
    },
    async stop() {
      await server.close();
      await test.drop();
    },
  };
}
export type TestApi = Awaited<ReturnType<typeof startTestApi>>;

/** The typed error a call fails with (and a test failure if it succeeds or fails otherwise). */
export async function errorOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isTRPCClientError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
