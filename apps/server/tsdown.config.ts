import { defineConfig } from 'tsdown';

/** A bare package name (`pino`, `@trpc/server/adapters/standalone`), not a path. */
const bareSpecifier = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*(?:\/.*)?$/;

/**
 * The production build of the api and its worker (`node dist/main.mjs [worker|migrate]`), and of
 * the `strata` ops CLI (`node dist/strata.mjs …`).
 *
 * The workspace packages (@strata/db, @strata/domain) export TypeScript source, so they are
 * compiled into the output; every npm package stays an import that Node resolves from
 * node_modules at run time, so native and self-locating packages (argon2, PGlite's WASM, pino's
 * transports) work as installed. The store's SQL migrations and Drizzle's meta folder ship beside
 * the bundle: packages/db looks for them next to the module that opens the database
 * (`new URL('./migrations', import.meta.url)`), which here is a module in dist/.
 */
export default defineConfig({
  entry: { main: 'src/main.ts', strata: 'src/cli/strata.ts' },
  outDir: 'dist',
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  fixedExtension: true,
  sourcemap: true,
  dts: false,
  deps: {
    alwaysBundle: [/^@strata\//],
    neverBundle: (id) => bareSpecifier.test(id) && !id.startsWith('@strata/'),
  },
  copy: [{ from: '../../packages/db/src/migrations' }],
});
