import type { NextConfig } from 'next';

const config: NextConfig = {
  // The domain ships TypeScript source (its `as const` enums are used in the browser).
  transpilePackages: ['@baton/domain'],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
