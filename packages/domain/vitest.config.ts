import { defineProject } from 'vitest/config';

// Pure tests: no database, no network, so turbo caches their result. The property tests run
// thousands of cases: on a busy 2-core machine that takes more than Vitest's default 5 s.
export default defineProject({
  test: { name: 'domain', include: ['test/**/*.test.ts', 'src/**/*.test.ts'], testTimeout: 60_000 },
});
