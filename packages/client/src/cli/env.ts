/** The CLI's settings from the environment, read here only. */
export interface CliEnv {
  readonly url: string;
  readonly token: string | undefined;
}

/** `BATON_URL` (default http://127.0.0.1:4000) and `BATON_TOKEN`. */
export function readCliEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  return { url: env.BATON_URL ?? 'http://127.0.0.1:4000', token: env.BATON_TOKEN };
}
