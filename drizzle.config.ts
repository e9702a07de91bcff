import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the Drizzle schema and committed; the api applies them at start-up.
export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/db/src/schema/index.ts',
  out: './packages/db/src/migrations',
});
