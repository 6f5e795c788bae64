import type { NextConfig } from 'next';
import { NON_PAGE_CSP, SECURITY_HEADERS } from './src/server/security-headers';

const config: NextConfig = {
  // The domain ships TypeScript source (its `as const` enums are used in the browser).
  transpilePackages: ['@baton/domain'],
  poweredByHeader: false,
  reactStrictMode: true,
  // Pages get their Content-Security-Policy, with a nonce, from src/proxy.ts; the responses it
  // does not see (the API, logging out) get one that lets them load nothing.
  headers() {
    return Promise.resolve([
      { source: '/:path*', headers: [...SECURITY_HEADERS] },
      {
        source: '/:path(api/.*|logout)',
        headers: [{ key: 'Content-Security-Policy', value: NON_PAGE_CSP }],
      },
    ]);
  },
};

export default config;
