'use client';

import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTRPC } from '../../trpc/react';
import { ErrorText } from './error-text';

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
          <div key={key} style={{ display: 'contents' }}>
            <dt>{key.replaceAll('_', ' ')}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The numbers of `stats.overview`, refreshed when the tab regains focus. */
export function Overview() {
  const trpc = useTRPC();
  const stats = useQuery(trpc.stats.overview.queryOptions());
  if (stats.error) return <ErrorText error={stats.error} />;
  if (!stats.data) return <p className="muted">Loading…</p>;
  const { sessionsByStatus, decisionsByKind, toolRoundTrip } = stats.data;
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
