import type { AppRouter } from '@baton/runtime';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { cookies } from 'next/headers';
import { makeQueryClient } from '../trpc/query-client';
import { runtimeClient } from './runtime-client';
import { TOKEN_COOKIE } from './token-cookie';

/**
 * For a server component's first paint: a fresh query client and tRPC query options that call
 * the runtime directly with the operator's cookie. Prefetch into it, then hand
 * `dehydrate(queryClient)` to a `HydrationBoundary` so the client components start with data.
 */
export async function serverQueries() {
  const token = (await cookies()).get(TOKEN_COOKIE)?.value ?? '';
  const queryClient = makeQueryClient();
  const client = runtimeClient(token);
  const trpc = createTRPCOptionsProxy<AppRouter>({ client, queryClient });
  return { trpc, client, queryClient };
}
