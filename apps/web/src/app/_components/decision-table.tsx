import Link from 'next/link';
import type { DecisionRecord } from '../../trpc/types';
import type { Column } from './data-table';
import { DataTable } from './data-table';
import { formatTime } from './format';

const at: Column<DecisionRecord> = {
  header: 'At',
  cell: (d) => <time dateTime={d.at}>{formatTime(d.at)}</time>,
};
const kind: Column<DecisionRecord> = { header: 'Kind', cell: (d) => d.kind, className: 'mono' };
const session: Column<DecisionRecord> = {
  header: 'Session',
  cell: (d) => (
    <Link href={`/sessions/${d.sessionId}`} className="mono">
      {d.sessionId}
    </Link>
  ),
};
const agent: Column<DecisionRecord> = { header: 'Agent', cell: (d) => d.agent ?? '—' };
const reason: Column<DecisionRecord> = { header: 'Reason', cell: (d) => d.reason };

/** Decisions, newest first: when, what kind, (whose session,) which agent, and why. */
export function DecisionTable({
  decisions,
  withSession,
}: {
  readonly decisions: readonly DecisionRecord[];
  /** Adds a column linking each decision's session (the global feed). */
  readonly withSession: boolean;
}) {
  return (
    <DataTable
      columns={withSession ? [at, kind, session, agent, reason] : [at, kind, agent, reason]}
      rows={decisions}
      rowKey={(d) => d.id}
      empty="No decisions yet."
    />
  );
}
