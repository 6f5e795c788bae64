import type { AppRouter } from '@baton/runtime';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { env } from '../env';
import { describeLoginFailure } from './login-failure';

/** A server-side client of the runtime's API, calling with `token`. */
export function runtimeClient(token: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${env.runtimeUrl}/trpc`,
        headers: { authorization: `Bearer ${token}` },
      }),
    ],
  });
}

/**
 * Whether `token` may use the dashboard, and if not, why: the runtime's tRPC error code
 * (undefined when it could not be reached) and the reason in words.
 */
export type TokenCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: string | undefined; readonly message: string };

/**
 * Checks that `token` is an operator (or admin) token by calling `stats.overview`, which needs
 * that role: a client token is answered FORBIDDEN, an unknown one UNAUTHORIZED.
 */
export async function checkOperatorToken(token: string): Promise<TokenCheck> {
  try {
    await runtimeClient(token).stats.overview.query();
    return { ok: true };
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const data = (error as TRPCClientError<AppRouter>).data;
      const message = data ? error.message : `${error.message} (at ${env.runtimeUrl})`;
      return { ok: false, code: data?.code, message: describeLoginFailure(data?.code, message) };
    }
    throw error;
  }
}
