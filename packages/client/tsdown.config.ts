import { defineConfig, type UserConfig } from 'tsdown';

type Plugin = Extract<NonNullable<UserConfig['plugins']>, { name: string }>;

/** A bare package name (`zod`, `@trpc/server/observable`), not a path. */
const bareSpecifier = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*(?:\/.*)?$/;

/**
 * The router's type carries two things of the server's on every procedure that a client never
 * reads — tRPC infers inputs, outputs and errors from the procedures alone: the request context
 * (`ctx`: the app, its database, drizzle, pino, node:http…) and the procedure meta (OpenAPI routes,
 * trpc-to-openapi's `OpenApiMeta`). The published declarations describe them as `object`, so none
 * of the server's libraries end up in the SDK's types.
 */
const withoutServerTypes: Plugin = {
  name: 'strata:without-server-types',
  transform: {
    order: 'pre',
    filter: { id: /packages[\\/]api[\\/]src[\\/].*\.d\.ts$/ },
    handler(code, id) {
      let declarations = code.replaceAll('import("trpc-to-openapi").OpenApiMeta', 'object');
      if (/[\\/]context\.d\.ts$/.test(id)) {
        const start = declarations.indexOf('export interface ApiContext {');
        const end = declarations.indexOf('\n}\n', start);
        if (start < 0 || end < 0)
          throw new Error('packages/api/src/context.ts no longer declares `export interface ApiContext`');
        declarations = `${declarations.slice(0, start)}/** The server's request context: not part of the client's view. */\nexport interface ApiContext {}${declarations.slice(end + 2)}`;
      }
      return declarations;
    },
  },
};

/**
 * The published SDK (`npm pack`): ESM and one self-contained .d.ts. The router's type
 * (`AppRouter`, from @strata/api) and the limits (@strata/domain) come from workspace sources that
 * are never published, so both are compiled in; npm packages stay imports, and each of them is in
 * package.json's `dependencies` (the packed-SDK test checks both).
 * `tsconfig.build.json` maps the workspace packages to their sources so TypeScript declares them
 * as part of this program.
 */
export default defineConfig({
  entry: { index: 'src/index.ts' },
  outDir: 'dist',
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  fixedExtension: true,
  sourcemap: true,
  dts: { tsconfig: 'tsconfig.build.json' },
  deps: {
    alwaysBundle: [/^@strata\//],
    neverBundle: (id) => id.startsWith('node:') || (bareSpecifier.test(id) && !id.startsWith('@strata/')),
  },
  plugins: [withoutServerTypes],
});
