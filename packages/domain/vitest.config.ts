import { defineProject } from 'vitest/config';

// Pure tests: no database, no network, so turbo caches their result.
export default defineProject({ test: { name: 'domain', include: ['test/**/*.test.ts', 'src/**/*.test.ts'] } });
