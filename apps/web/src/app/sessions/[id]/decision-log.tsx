import type { DecisionRecord } from '../../../trpc/types';
import { DecisionTable } from '../../_components/decision-table';
import { ErrorText } from '../../_components/error-text';

/** The session's skip/resume log, newest first. */
export function DecisionLog({
  decisions,
  error,
}: {
  readonly decisions: readonly DecisionRecord[];
  readonly error: unknown;
}) {
  return (
    <section className="panel" aria-labelledby="decisions-h">
      <h2 id="decisions-h">Decision log</h2>
      <ErrorText error={error} />
      <DecisionTable decisions={decisions} withSession={false} />
    </section>
  );
}
