/** The dashboard's settings, read here only. */
export interface WebEnv {
  readonly port: number;
  readonly runtimeUrl: string;
}

/** `BATON_WEB_PORT` (default 3000) and `BATON_RUNTIME_URL` (default http://127.0.0.1:4000). */
export function readWebEnv(env: NodeJS.ProcessEnv = process.env): WebEnv {
  return {
    port: Number(env.BATON_WEB_PORT ?? 3000),
    runtimeUrl: env.BATON_RUNTIME_URL ?? 'http://127.0.0.1:4000',
  };
}
