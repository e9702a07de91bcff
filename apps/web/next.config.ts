import type { NextConfig } from 'next';

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
  // Next compiles it with the app.
  transpilePackages: ['@strata/client', '@strata/domain'],
  reactStrictMode: true,
  poweredByHeader: false,
  // Types are checked once, by `npm run typecheck` (part of `npm test`); builds do not repeat it.
  typescript: { ignoreBuildErrors: true },
  headers: async () => [{ source: '/:path*', headers: securityHeaders }],
};

export default config;
