'use client';

import type { SessionEvent } from '@baton/domain';
import type { TRPCSubscriptionStatus } from '@trpc/tanstack-react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState } from 'react';
import { useTRPC } from '../../trpc/react';

/** A live feed's connection, for the indicator: its status, and whether it was ever live. */
export interface LiveFeed {
  readonly status: TRPCSubscriptionStatus;
  readonly everLive: boolean;
  /** Why the feed stopped for good (not while it reconnects). */
  readonly error: unknown;
}

/**
 * Every session's events from now on (`events.all` with `from: 'now'`: a page renders the
 * history it needs from queries, so replaying it here would only repeat work). After a drop it
 * resumes after the last event it saw. `onConnected` runs at each (re)connection: what
 * committed between the page's own queries and the feed's start is not in the feed, so a page
 * refreshes its queries then.
 */
export function useLiveFeed(
  onEvent: (event: SessionEvent) => void,
  onConnected: () => void,
): LiveFeed {
  const trpc = useTRPC();
  const [everLive, setEverLive] = useState(false);
  const feed = useSubscription(
    trpc.events.all.subscriptionOptions(
      { from: 'now' },
      {
        onStarted: () => {
          setEverLive(true);
          onConnected();
        },
        onData: ({ data }) => onEvent(data),
      },
    ),
  );
  return {
    status: feed.status,
    everLive,
    error: feed.status === 'error' ? feed.error : null,
  };
}
