import type { PlanRecord } from '../../../trpc/types';
import { ArrowMarker } from '../../_components/arrow-marker';
import { toneOf } from '../../_components/status-badge';
import { layOutPlan, NODE } from './plan-layout';

type Subtask = PlanRecord['subtasks'][number];

const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** One subtask's box: number and title, agent and status (in words, not colour alone). */
function SubtaskNode({ subtask, x, y }: { subtask: Subtask; x: number; y: number }) {
  return (
    <g
      className="node"
      data-tone={toneOf(subtask.status)}
      data-status={subtask.status}
      transform={`translate(${x} ${y})`}
    >
      <title>{`#${subtask.index + 1} ${subtask.title} — ${subtask.agent}, ${subtask.status.replaceAll('_', ' ')}`}</title>
      <rect width={NODE.width} height={NODE.height} rx={6} />
      <text x={10} y={20} className="node-title">
        {clip(`#${subtask.index + 1} ${subtask.title}`, 28)}
      </text>
      <text x={10} y={40} className="node-meta">
        {subtask.agent} · {subtask.status.replaceAll('_', ' ')}
      </text>
    </g>
  );
}

/**
 * The plan's subtasks as a graph, dependencies left to right. Server-rendered at a size fixed by
 * the plan's shape, so a status arriving live recolours a box and never moves the page. The
 * subtasks table next to it carries the same facts for screen readers and copying.
 */
export function PlanGraph({ plan }: { readonly plan: PlanRecord }) {
  const layout = layOutPlan(plan.subtasks);
  if (layout.nodes.length === 0) return null;
  const byIndex = new Map(plan.subtasks.map((s) => [s.index, s]));
  const counts = new Map<string, number>();
  for (const s of plan.subtasks) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  const summary = [...counts].map(([status, n]) => `${n} ${status.replaceAll('_', ' ')}`);
  return (
    <div className="graph">
      <svg
        role="img"
        aria-label={`Plan graph: ${plan.subtasks.length} subtasks (${summary.join(', ')})`}
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
      >
        <defs>
          <ArrowMarker id={`arrow-${plan.id}`} size={8} className="arrow" />
        </defs>
        {layout.edges.map((edge) => (
          <path
            key={`${edge.from}-${edge.to}`}
            d={edge.d}
            className="edge"
            data-done={byIndex.get(edge.from)?.status === 'completed' || undefined}
            markerEnd={`url(#arrow-${plan.id})`}
          />
        ))}
        {layout.nodes.map((node) => {
          const subtask = byIndex.get(node.index);
          return subtask ? (
            <SubtaskNode key={subtask.id} subtask={subtask} x={node.x} y={node.y} />
          ) : null;
        })}
      </svg>
    </div>
  );
}
