import type { AppRouter } from '@baton/runtime';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';

/** Calls per HTTP request at most: the runtime refuses larger batches (BAD_REQUEST). */
export const MAX_BATCH_SIZE = 50;

/** Where Baton runs and who is calling. */
export interface BatonClientOptions {
  /** The runtime's base URL, e.g. `http://127.0.0.1:4000`. */
  readonly url: string;
  /** An API token (`Authorization: Bearer …`). */
  readonly token: string;
}

/** The typed tRPC client of Baton's API (SPEC §7). */
export type BatonClient = ReturnType<typeof createBatonClient>;
/** Inputs of every procedure, inferred from the runtime's router. */
export type BatonInputs = inferRouterInputs<AppRouter>;
/** Outputs of every procedure, inferred from the runtime's router. */
export type BatonOutputs = inferRouterOutputs<AppRouter>;

/**
 * A client typed from the runtime's `AppRouter`: queries and mutations over HTTP (batched),
 * subscriptions over SSE. The subscription link resumes with the last event id it saw after a
 * dropped connection, so a stream has no gap and no duplicate.
 */
export function createBatonClient(options: BatonClientOptions) {
  const url = `${options.url.replace(/\/$/, '')}/trpc`;
  const authorization = `Bearer ${options.token}`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) =>
              fetch(input, { ...init, headers: { ...init?.headers, authorization } }),
          }),
        }),
        false: httpBatchLink({
          url,
          headers: () => ({ authorization }),
          maxItems: MAX_BATCH_SIZE,
        }),
      }),
    ],
  });
}
