import { QueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';

/** Errors that retrying cannot fix: the request or the login is wrong. */
const FINAL_CODES = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST']);

/** A query client for one browser tab, or for one server render. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Live data arrives by subscription; don't refetch what the server just rendered.
        staleTime: 10_000,
        retry: (failures, error) => {
          const code =
            error instanceof TRPCClientError
              ? (error.data as { code?: string } | undefined)?.code
              : undefined;
          return failures < 2 && !(code && FINAL_CODES.has(code));
        },
      },
    },
  });
}
