import { defineConfig } from 'vitest/config';

// `npx vitest` at the root runs every workspace's tests as one project each; `npm test` runs them
// through turbo instead, one workspace at a time as its task.
export default defineConfig({
  test: { projects: ['packages/*', 'apps/*'] },
});
