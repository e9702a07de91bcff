import { defineProject } from 'vitest/config';

/**
 * The Vitest project of a workspace whose tests start databases, servers, processes or a browser:
 * `export default serviceTestProject('db')` in its vitest.config.ts.
 */
export const serviceTestProject = (name: string) =>
  defineProject({
    test: {
      name,
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      // A cold PostgreSQL, a worker process or a first web build is slow on 2 cores.
      testTimeout: 60_000,
      hookTimeout: 60_000,
      // Store tests open many PostgreSQL connections; two workers keep the server and the cores calm.
      maxWorkers: 2,
      minWorkers: 1,
    },
  });
