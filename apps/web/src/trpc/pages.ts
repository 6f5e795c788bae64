import type { AppRouter } from '@baton/runtime';
import { infiniteQueryOptions } from '@tanstack/react-query';
import type { TRPCClient } from '@trpc/client';
import type { TRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { Inputs } from './types';

/** Sessions per page (keyset pagination on last activity, then id). */
export const sessionsPageSize = 50;
/** Decisions per page of the global feed. */
export const decisionsPageSize = 50;
/** The session page's decision log: the session's latest decisions. */
export const decisionLogInput = (sessionId: string) => ({ sessionId, limit: 200 });

type Trpc = TRPCOptionsProxy<AppRouter>;
type Client = TRPCClient<AppRouter>;
type SessionsInput = Omit<NonNullable<Inputs['sessions']['list']>, 'cursor'>;
type DecisionsInput = Omit<NonNullable<Inputs['decisions']['list']>, 'cursor'>;

// Keyset pages by hand rather than with `infiniteQueryOptions` of @trpc/tanstack-react-query:
// that one adds `direction` to the input, and the runtime's strict inputs refuse unknown keys.
// The query keys are tRPC's own, so `trpc.….infiniteQueryKey(input)` invalidates these.

/** Sessions matching `input`, a keyset page at a time (same options on server and client). */
export function sessionPages(trpc: Trpc, client: Client, input: SessionsInput) {
  return infiniteQueryOptions({
    queryKey: trpc.sessions.list.infiniteQueryKey(input),
    queryFn: ({ pageParam, signal }) =>
      client.sessions.list.query({ ...input, cursor: pageParam }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

/** Decisions matching `input`, newest first, a keyset page at a time. */
export function decisionPages(trpc: Trpc, client: Client, input: DecisionsInput) {
  return infiniteQueryOptions({
    queryKey: trpc.decisions.list.infiniteQueryKey(input),
    queryFn: ({ pageParam, signal }) =>
      client.decisions.list.query({ ...input, cursor: pageParam }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}
