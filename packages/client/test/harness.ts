import { createApp, issueBootstrapPassword } from '@strata/api';
import {
  type AnyProjection,
  createProjectionWorker,
  type Engine,
  type ProjectionWorker,
  projectionProcessor,
} from '@strata/db';
import { createTestDatabase, type TestDatabase, testEngines } from '@strata/db/testing';
import { type ApiServer, createLogger, publishingRoutes, startApiServer } from '@strata/server';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createClient, isTRPCClientError, type RouterInputs, type StrataClient } from '../src/index.ts';

type SignUp = { email: string; name: string; password: string };

const firstAdmin: SignUp = { email: 'root@example.com', name: 'Root', password: 'root-password-1' };

/**
 * A describe block `title on <engine>` for each engine: PGlite always, PostgreSQL when
 * DATABASE_URL is set (skipped with a reason otherwise).
 */
export function describeOnEachEngine(title: string, tests: (engine: Engine) => void) {
  for (const engine of testEngines()) {
    describe.skipIf(engine.unavailable)(`${title} on ${engine.name}`, () => tests(engine.name));
  }
}

export interface TestApiSuiteOptions {
  /** The first admin, signed up before the tests (default root@example.com); false: the tests do it. */
  admin?: SignUp | false;
  /** A user the first admin creates, signed in before the tests. */
  viewer?: RouterInputs['users']['create'];
  /** Async projections a worker runs for the tests (the test api runs no worker of its own). */
  projections?: readonly AnyProjection[];
}

export interface TestApiSuite {
  api: TestApi;
  /** The first admin's client and token (unset with `admin: false`). */
  root: StrataClient;
  rootToken: string;
  /** The `viewer` option's client (unset without it). */
  viewer: StrataClient;
  worker: ProjectionWorker | undefined;
}

/**
 * The api for the tests of the enclosing describe block: started before them, with the first
 * admin, a viewer and a worker as `options` ask, handed to `ready`; stopped after them.
 */
export function useTestApi(engine: Engine, options: TestApiSuiteOptions, ready: (suite: TestApiSuite) => void) {
  let api: TestApi | undefined;
  let worker: ProjectionWorker | undefined;
  beforeAll(async () => {
    api = await startTestApi(engine);
    const suite = { api } as TestApiSuite;
    if (options.admin !== false) {
      ({ client: suite.root, token: suite.rootToken } = await api.bootstrapAdmin(options.admin));
    }
    if (options.viewer) suite.viewer = await api.signInNewUser(suite.root, options.viewer);
    if (options.projections?.length) {
      worker = createProjectionWorker({
        database: api.app.database,
        processors: options.projections.map(projectionProcessor),
        pollIntervalMs: 100,
      });
      await worker.start();
    }
    suite.worker = worker;
    ready(suite);
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });
}

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
    async bootstrapAdmin(admin: SignUp = firstAdmin) {
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

/** A call that must fail: what it is, the error code it must fail with, and the call. */
export type Refusal = [label: string, code: string, call: () => Promise<unknown>];

/** Makes each call and expects its code; a BAD_REQUEST must also name at least one field. */
export async function expectRefusals(refusals: readonly Refusal[]) {
  for (const [label, code, call] of refusals) {
    const error = await errorOf(call());
    expect(error.data?.code, label).toBe(code);
    if (code === 'BAD_REQUEST') expect(Object.keys(error.data?.fieldErrors ?? {}).length, label).toBeGreaterThan(0);
  }
}
