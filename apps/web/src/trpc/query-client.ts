import { QueryClient } from '@tanstack/react-query';
import { isRetryable } from './retry';

/** A query client for one browser tab, or for one server render. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Live data arrives by subscription; don't refetch what the server just rendered.
        staleTime: 10_000,
        retry: (failures, error) => failures < 2 && isRetryable(error),
      },
    },
  });
}
