'use client';

import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { sessionPages, sessionsPageSize } from '../../trpc/pages';
import { useTRPC, useTRPCClient } from '../../trpc/react';
import type { SessionListItem } from '../../trpc/types';
import { Connection } from '../_components/connection';
import type { Column } from '../_components/data-table';
import { DataTable } from '../_components/data-table';
import { ErrorText } from '../_components/error-text';
import { formatTime } from '../_components/format';
import { StatusBadge } from '../_components/status-badge';
import { useCoalesced } from '../_components/use-coalesced';
import { useLiveFeed } from '../_components/use-live-feed';
import type { SessionsFilter } from './filter';

const columns: readonly Column<SessionListItem>[] = [
  { header: 'Title', cell: (s) => <Link href={`/sessions/${s.id}`}>{s.title}</Link> },
  { header: 'State', cell: (s) => <StatusBadge status={s.run.status} /> },
  { header: 'Agent', cell: (s) => s.agent },
  { header: 'Plan', cell: (s) => (s.activePlanId ? 'active plan' : '—') },
  {
    header: 'Last activity',
    cell: (s) => <time dateTime={s.lastActivityAt}>{formatTime(s.lastActivityAt)}</time>,
  },
];

/**
 * The sessions that match `filter`, a page at a time, refreshed (every loaded page) when the
 * live feed says a session changed.
 */
export function SessionsTable({ filter }: { readonly filter: SessionsFilter }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const input = { ...filter, limit: sessionsPageSize };
  const list = useInfiniteQuery(sessionPages(trpc, client, input));
  const refresh = useCoalesced(() => {
    // Never cancel a "Load more" under way: the next event refreshes again.
    void queryClient.invalidateQueries(
      { queryKey: trpc.sessions.list.infiniteQueryKey(input) },
      { cancelRefetch: false },
    );
  }, 1000);
  const feed = useLiveFeed((event) => {
    if (event.type !== 'message.delta') refresh();
  }, refresh);
  const sessions = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <ErrorText error={list.error ?? feed.error} />
      <p className="row muted">
        <Connection status={feed.status} everLive={feed.everLive} />
        {sessions.length > 0 ? (
          <span aria-live="polite">
            {sessions.length === 1 ? '1 session' : `${sessions.length} sessions`} shown
            {list.hasNextPage ? '; more to load below' : ''}
          </span>
        ) : null}
      </p>
      {/* Data stays on screen when a later refetch fails; the error says why above. */}
      {list.data ? (
        <DataTable
          label="Sessions"
          columns={columns}
          rows={sessions}
          rowKey={(s) => s.id}
          empty="No sessions match."
        />
      ) : null}
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
