import type { DecisionRecord } from '../../../trpc/types';
import { ErrorText } from '../../_components/error-text';
import { formatTime } from '../../_components/format';

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
      {decisions.length === 0 ? (
        <p className="muted">No decisions yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">At</th>
              <th scope="col">Kind</th>
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
                <td>{d.agent ?? '—'}</td>
                <td>{d.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
