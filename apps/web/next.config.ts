import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

/** The monorepo's root: Turbopack compiles the workspace packages from there, and the standalone
 * output traces node_modules from there. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Sent with everything the web app serves, static files too. The Content-Security-Policy (with
 * frame-ancestors 'none') is per request, in src/proxy.ts.
 */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
];

const config: NextConfig = {
  // The SDK (and the limits it re-exports from the domain) is TypeScript source in the monorepo;
  // Next compiles it with the app. Its package.json points published installs at its build
  // (dist/); here the alias takes its source, as the `@strata/source` condition does for tsc.
  transpilePackages: ['@strata/client', '@strata/domain'],
  turbopack: {
    root: repoRoot,
    resolveAlias: { '@strata/client': './../../packages/client/src/index.ts' },
  },
  // `next build` also writes .next/standalone: a server (apps/web/server.js) with exactly the
  // node_modules files it needs, started by `npm run start:prod` without the monorepo's install.
  output: 'standalone',
  outputFileTracingRoot: repoRoot,
  reactStrictMode: true,
  poweredByHeader: false,
  // Types are checked once, by `npm run typecheck` (part of `npm test`); builds do not repeat it.
  typescript: { ignoreBuildErrors: true },
  headers: async () => [{ source: '/:path*', headers: securityHeaders }],
  // Pages link app/icon.svg, but browsers still ask for /favicon.ico where a page's head has not
  // arrived yet (a 404 page, a navigation cut short) and so do feed readers; one icon answers both.
  rewrites: async () => [{ source: '/favicon.ico', destination: '/icon.svg' }],
};

export default config;
