import { z } from 'zod';

/** The dashboard's settings (server only). The port is `next start -p`'s, from BATON_WEB_PORT. */
export interface WebEnv {
  /** Where the runtime listens, without a trailing slash; its tRPC API is at `/trpc`. */
  readonly runtimeUrl: string;
  /**
   * The largest tRPC request body passed on to the runtime: the runtime's own limit,
   * `BATON_MAX_RESULT_BYTES × 2 + 64 KiB`, so the dashboard never buffers what it would refuse.
   */
  readonly maxRequestBytes: number;
  /** Mark the login cookie `Secure` even when no request says https (a TLS proxy that hides it). */
  readonly secureCookie: boolean;
  /** `next dev`: React needs `eval` for its debugging, so the CSP allows it. */
  readonly development: boolean;
}

const schema = z.object({
  BATON_RUNTIME_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4000'),
  // The same setting, and default, as the runtime's.
  BATON_MAX_RESULT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  BATON_DASHBOARD_SECURE_COOKIE: z.stringbool().default(false),
  NODE_ENV: z.string().optional(),
});

/**
 * Reads and validates the dashboard's env: `BATON_RUNTIME_URL` (default http://127.0.0.1:4000),
 * `BATON_MAX_RESULT_BYTES` (default 1 MiB, as the runtime's), `BATON_DASHBOARD_SECURE_COOKIE`
 * (1/true to always mark the login cookie Secure) and `NODE_ENV`.
 */
export function readWebEnv(env: Record<string, string | undefined>): WebEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid dashboard settings: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    runtimeUrl: e.BATON_RUNTIME_URL.replace(/\/+$/, ''),
    maxRequestBytes: e.BATON_MAX_RESULT_BYTES * 2 + 64 * 1024,
    secureCookie: e.BATON_DASHBOARD_SECURE_COOKIE,
    development: e.NODE_ENV === 'development',
  };
}

/** The settings this server runs with, read once. The only place that touches `process.env`. */
export const env: WebEnv = readWebEnv(process.env);
