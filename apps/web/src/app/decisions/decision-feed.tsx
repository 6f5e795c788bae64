'use client';

import type { DecisionKind } from '@baton/domain';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { decisionPages, decisionsPageSize } from '../../trpc/pages';
import { useTRPC, useTRPCClient } from '../../trpc/react';
import { Connection } from '../_components/connection';
import { DecisionTable } from '../_components/decision-table';
import { ErrorText } from '../_components/error-text';
import { useCoalesced } from '../_components/use-coalesced';
import { useLiveFeed } from '../_components/use-live-feed';

/**
 * The decision log of every session (`decisions.list`), refreshed whenever the live feed carries
 * a decision of the kind shown.
 */
export function DecisionFeed({ kind }: { readonly kind: DecisionKind | undefined }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = { ...(kind ? { kind } : {}), limit: decisionsPageSize };
  const client = useTRPCClient();
  const list = useInfiniteQuery(decisionPages(trpc, client, input));
  const refresh = useCoalesced(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.decisions.list.infiniteQueryKey(input) });
  }, 150);
  const feed = useLiveFeed((event) => {
    if (event.type === 'decision' && (!kind || event.data.kind === kind)) refresh();
  }, refresh);
  const decisions = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <p>
        <Connection status={feed.status} everLive={feed.everLive} />
      </p>
      <ErrorText error={list.error ?? feed.error} />
      {list.data ? <DecisionTable decisions={decisions} withSession /> : null}
      {list.hasNextPage ? (
        <p>
          <button
            type="button"
            onClick={() => void list.fetchNextPage()}
            disabled={list.isFetchingNextPage}
          >
            {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </p>
      ) : null}
    </>
  );
}
