import type { NextConfig } from 'next';

const config: NextConfig = {
  // The SDK (and the limits it re-exports from the domain) is TypeScript source in the monorepo;
  // Next compiles it with the app.
  transpilePackages: ['@strata/client', '@strata/domain'],
  reactStrictMode: true,
  poweredByHeader: false,
  // Types are checked once, by `npm run typecheck` (part of `npm test`); builds do not repeat it.
  typescript: { ignoreBuildErrors: true },
};

export default config;
