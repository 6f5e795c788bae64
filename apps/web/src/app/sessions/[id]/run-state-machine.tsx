import { RunStatus } from '@baton/domain';
import { ArrowMarker } from '../../_components/arrow-marker';
import { recentPath } from './live-state';
import { drawTransitions, MACHINE_SIZE, STATE_AT, STATE_BOX } from './run-machine-layout';

const MAX_PATH = 40;

/**
 * The run's state machine drawn: every state, the current one highlighted, each transition with
 * how often this page saw the run take it; below, the path in order. The states form the list
 * "Run states" (the current one marked `aria-current="step"`); the arrows are decoration.
 */
export function RunStateMachine({
  current,
  path,
}: {
  readonly current: RunStatus;
  readonly path: readonly RunStatus[];
}) {
  const { states, omitted } = recentPath(path, MAX_PATH);
  const visited = new Set<RunStatus>([...path, current]);
  const transitions = drawTransitions(path);
  return (
    <section className="panel" aria-labelledby="run-h">
      <h2 id="run-h">Run state</h2>
      <div className="graph">
        <svg
          className="machine"
          width={MACHINE_SIZE.width}
          height={MACHINE_SIZE.height}
          viewBox={`0 0 ${MACHINE_SIZE.width} ${MACHINE_SIZE.height}`}
          role="list"
          aria-label="Run states"
        >
          <defs>
            <ArrowMarker id="machine-arrow" size={7} className="arrow" />
            <ArrowMarker id="machine-arrow-taken" size={7} className="arrow taken" />
          </defs>
          <g aria-hidden="true">
            {transitions.map((t) => (
              <g key={`${t.from}>${t.to}`} className="transition" data-taken={t.taken > 0}>
                <path
                  d={t.d}
                  className="edge"
                  markerEnd={`url(#machine-arrow${t.taken > 0 ? '-taken' : ''})`}
                />
                {t.taken > 0 ? (
                  <text x={t.label.x} y={t.label.y} className="count" textAnchor="middle">
                    ×{t.taken}
                  </text>
                ) : null}
              </g>
            ))}
          </g>
          {Object.values(RunStatus).map((status) => {
            const at = STATE_AT[status];
            return (
              <g
                key={status}
                role="listitem"
                className="state"
                data-visited={visited.has(status)}
                aria-current={status === current ? 'step' : undefined}
                transform={`translate(${at.x - STATE_BOX.width / 2} ${at.y - STATE_BOX.height / 2})`}
              >
                <rect width={STATE_BOX.width} height={STATE_BOX.height} rx={17} />
                <text x={STATE_BOX.width / 2} y={22} textAnchor="middle">
                  {status.replaceAll('_', ' ')}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      <p className="path" aria-label="Path taken">
        {states.length === 0
          ? 'No transitions yet.'
          : `${omitted > 0 ? `… ${omitted} earlier · ` : ''}${states.join(' → ')}`}
      </p>
    </section>
  );
}
