'use client';

import type { AppRouter } from '@baton/runtime';
import type { QueryClient } from '@tanstack/react-query';
import { QueryClientProvider } from '@tanstack/react-query';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  retryLink,
  splitLink,
} from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { z } from 'zod';
import { makeQueryClient } from './query-client';
import { isRetryable, resubscribeDelayMs } from './retry';

// The pages' Content-Security-Policy forbids eval. Zod (the domain's schemas, which the pages
// use) would otherwise try `new Function` once to see whether it may compile parsers, and the
// browser reports every such try as a violation.
z.config({ jitless: true });

/** `useTRPC()` gives typed query, mutation and subscription options for the runtime's API. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/**
 * The browser talks to this Next server only, at /api/trpc, which adds the operator's token from
 * its httpOnly cookie and passes the call on to the runtime.
 */
const API_PATH = '/api/trpc';

let browserQueryClient: QueryClient | undefined;

/** One query client per tab; a fresh one per server render (never shared between requests). */
function getQueryClient(): QueryClient {
  if (typeof window === 'undefined') return makeQueryClient();
  return (browserQueryClient ??= makeQueryClient());
}

/** TanStack Query and tRPC for the dashboard's client components. */
export function Providers({ children }: { readonly children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        // The browser's EventSource reconnects by itself after a drop, but gives up when the
        // reconnection is refused (the runtime is restarting: the dashboard's server answers
        // 502). Then subscribe again, from the last event id seen, until the runtime is back.
        // Queries retry through TanStack Query instead.
        retryLink({
          retry: ({ op, error }) => op.type === 'subscription' && isRetryable(error),
          retryDelayMs: resubscribeDelayMs,
        }),
        splitLink({
          condition: (op) => op.type === 'subscription',
          // SSE; after a drop it reconnects with the last event id it saw (no gap, no repeat).
          true: httpSubscriptionLink({ url: API_PATH }),
          false: httpBatchLink({ url: API_PATH }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
