import { RunStatus } from '@baton/domain';
import { recentPath } from './live-state';

const MAX_PATH = 40;

/** The run's states in a row, the current one highlighted, and the path the run has taken. */
export function RunStateMachine({
  current,
  path,
}: {
  readonly current: RunStatus;
  readonly path: readonly RunStatus[];
}) {
  const { states, omitted } = recentPath(path, MAX_PATH);
  return (
    <section className="panel" aria-labelledby="run-h">
      <h2 id="run-h">Run state</h2>
      <ol className="states" aria-label="Run states">
        {Object.values(RunStatus).map((status) => (
          <li key={status} aria-current={status === current ? 'step' : undefined}>
            {status.replaceAll('_', ' ')}
          </li>
        ))}
      </ol>
      <p className="path" aria-label="Path taken">
        {states.length === 0
          ? 'No transitions yet.'
          : `${omitted > 0 ? `… ${omitted} earlier · ` : ''}${states.join(' → ')}`}
      </p>
    </section>
  );
}
