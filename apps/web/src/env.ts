import { z } from 'zod';

/** The dashboard's settings (server only). The port is `next start -p`'s, from BATON_WEB_PORT. */
export interface WebEnv {
  /** Where the runtime listens, without a trailing slash; its tRPC API is at `/trpc`. */
  readonly runtimeUrl: string;
}

const schema = z.object({
  BATON_RUNTIME_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4000'),
});

/** Reads and validates the dashboard's env: `BATON_RUNTIME_URL` (default http://127.0.0.1:4000). */
export function readWebEnv(env: Record<string, string | undefined>): WebEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid dashboard settings: ${problems.join('; ')}`);
  }
  return { runtimeUrl: parsed.data.BATON_RUNTIME_URL.replace(/\/+$/, '') };
}

/** The settings this server runs with, read once. The only place that touches `process.env`. */
export const env: WebEnv = readWebEnv(process.env);
