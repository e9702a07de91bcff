import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/{src,test}/**/*.test.ts', 'apps/api/{src,test}/**/*.test.ts', 'apps/web/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Store tests open many PostgreSQL connections; two workers keep the server and 2 cores calm.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
