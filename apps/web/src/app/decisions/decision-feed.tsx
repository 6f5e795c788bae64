'use client';

import type { DecisionKind } from '@baton/domain';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { decisionPages, decisionsPageSize } from '../../trpc/pages';
import { useTRPC, useTRPCClient } from '../../trpc/react';
import { Connection } from '../_components/connection';
import { ErrorText } from '../_components/error-text';
import { formatTime } from '../_components/format';
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
      <table>
        <thead>
          <tr>
            <th scope="col">At</th>
            <th scope="col">Kind</th>
            <th scope="col">Session</th>
            <th scope="col">Agent</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {decisions.map((d) => (
            <tr key={d.id}>
              <td>
                <time dateTime={d.at}>{formatTime(d.at)}</time>
              </td>
              <td className="mono">{d.kind}</td>
              <td>
                <Link href={`/sessions/${d.sessionId}`} className="mono">
                  {d.sessionId}
                </Link>
              </td>
              <td>{d.agent ?? '—'}</td>
              <td>{d.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.isSuccess && decisions.length === 0 ? <p className="muted">No decisions yet.</p> : null}
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
