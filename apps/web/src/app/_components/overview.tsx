'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useTRPC } from '../../trpc/react';
import type { Outputs } from '../../trpc/types';
import { Connection } from './connection';
import { ErrorText } from './error-text';
import { useCoalesced } from './use-coalesced';
import { useLiveFeed } from './use-live-feed';

const ms = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)} ms`);

/** A titled list of counts. */
function Counts({
  title,
  counts,
}: {
  readonly title: string;
  readonly counts: Record<string, number>;
}) {
  const headingId = useId();
  return (
    <section className="panel stats" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <dl>
        {Object.entries(counts).map(([key, n]) => (
          <div key={key}>
            <dt>{key.replaceAll('_', ' ')}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Events that change the overview's numbers. */
const COUNTED = new Set(['session.created', 'run.state', 'decision', 'tool_call.resolved']);

/** The numbers of `stats.overview`, refreshed (at most once a second) as the live feed moves. */
export function Overview() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const stats = useQuery(trpc.stats.overview.queryOptions());
  const refresh = useCoalesced(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.stats.overview.queryKey() });
  }, 1000);
  const feed = useLiveFeed((event) => {
    if (COUNTED.has(event.type)) refresh();
  }, refresh);
  const error = stats.error ?? feed.error;
  return (
    <>
      <p>
        <Connection status={feed.status} everLive={feed.everLive} />
      </p>
      <ErrorText error={error} />
      {stats.data ? (
        <Numbers stats={stats.data} />
      ) : error ? null : (
        <p className="muted">Loading…</p>
      )}
    </>
  );
}

/** The overview's three panels. */
function Numbers({ stats }: { readonly stats: Outputs['stats']['overview'] }) {
  const { sessionsByStatus, decisionsByKind, toolRoundTrip } = stats;
  return (
    <div className="grid">
      <Counts title="Sessions by state" counts={sessionsByStatus} />
      <Counts title="Decisions by kind" counts={decisionsByKind} />
      <section className="panel stats" aria-labelledby="latency-h">
        <h2 id="latency-h">Tool round trip</h2>
        <dl>
          <dt>results</dt>
          <dd>{toolRoundTrip.count}</dd>
          <dt>p50</dt>
          <dd>{ms(toolRoundTrip.p50)}</dd>
          <dt>p95</dt>
          <dd>{ms(toolRoundTrip.p95)}</dd>
          <dt>p99</dt>
          <dd>{ms(toolRoundTrip.p99)}</dd>
        </dl>
      </section>
    </div>
  );
}
