import { defineProject } from 'vitest/config';

/**
 * `@strata/source` picks a workspace package's TypeScript source over its build (dist/, made only
 * for publishing), as `customConditions` does for tsc; the rest are Vite's defaults.
 */
const sourceConditions = {
  resolve: { conditions: ['@strata/source', 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: ['@strata/source', 'module', 'node', 'development|production'] } },
};

/** 32 bytes in base64, as `STRATA_MASTER_KEY` wants them: for tests only, never a real database. */
const testMasterKey = Buffer.alloc(32, 's').toString('base64');

/**
 * The Vitest project of a workspace whose tests start databases, servers, processes or a browser:
 * `export default serviceTestProject('db')` in its vitest.config.ts.
 */
export const serviceTestProject = (name: string) =>
  defineProject({
    test: {
      name,
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      // A cold PostgreSQL, a worker process or a first web build is slow on 2 cores. Set-up hooks
      // start a database, an api, its first admin and a worker: under a full CI run on 2 cores
      // (other workspaces' tests beside it) a PGlite one took over 60 s.
      testTimeout: 60_000,
      hookTimeout: 180_000,
      // Every database a test opens seals personal data under this master key (PostgreSQL refuses to
      // start without one); processes the tests spawn inherit it. A test of a missing key unsets it.
      env: { STRATA_MASTER_KEY: process.env.STRATA_MASTER_KEY ?? testMasterKey },
      // Store tests open many PostgreSQL connections; two workers keep the server and the cores calm.
      maxWorkers: 2,
      minWorkers: 1,
    },
    // Workspace packages that publish a build (the SDK) are tested from their source here.
    ...sourceConditions,
  });
