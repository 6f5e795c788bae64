/** A subtask as the graph needs it: its position in the plan and what it waits for. */
export interface GraphSubtask {
  readonly index: number;
  readonly dependsOn: readonly number[];
}

/** Where one subtask's box goes. */
export interface PlacedNode {
  readonly index: number;
  readonly x: number;
  readonly y: number;
  /** Its column: the length of the longest chain of dependencies before it. */
  readonly depth: number;
}

/** A dependency drawn as a curve from the box it waits for to the box that waits. */
export interface PlacedEdge {
  readonly from: number;
  readonly to: number;
  /** An SVG path (`M … C …`). */
  readonly d: string;
}

/** A plan's graph laid out: its size depends on the plan's shape only, never on statuses. */
export interface PlanLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

export const NODE = { width: 200, height: 52 } as const;
const GAP = { x: 44, y: 14 } as const;
const PAD = 6;

/**
 * Lays a plan's DAG out left to right: a subtask's column is the length of the longest chain of
 * dependencies before it, and within a column subtasks keep plan order. Indexes outside the plan
 * and cycles (the domain refuses both) are ignored rather than trusted.
 */
export function layOutPlan(subtasks: readonly GraphSubtask[]): PlanLayout {
  const byIndex = new Map(subtasks.map((s) => [s.index, s]));
  const depths = new Map<number, number>();
  const depthOf = (index: number, seen: ReadonlySet<number>): number => {
    const known = depths.get(index);
    if (known !== undefined) return known;
    const deps = (byIndex.get(index)?.dependsOn ?? []).filter(
      (d) => byIndex.has(d) && !seen.has(d),
    );
    const next = new Set(seen).add(index);
    const depth = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => depthOf(d, next)));
    depths.set(index, depth);
    return depth;
  };
  const rows = new Map<number, number>();
  const nodes = [...subtasks]
    .sort((a, b) => a.index - b.index)
    .map((s) => {
      const depth = depthOf(s.index, new Set());
      const row = rows.get(depth) ?? 0;
      rows.set(depth, row + 1);
      return {
        index: s.index,
        depth,
        x: PAD + depth * (NODE.width + GAP.x),
        y: PAD + row * (NODE.height + GAP.y),
      };
    });
  const at = new Map(nodes.map((n) => [n.index, n]));
  const edges = subtasks.flatMap((s) =>
    s.dependsOn.flatMap((dep) => {
      const from = at.get(dep);
      const to = at.get(s.index);
      if (!from || !to || from.depth >= to.depth) return [];
      const [x1, y1] = [from.x + NODE.width, from.y + NODE.height / 2];
      const [x2, y2] = [to.x, to.y + NODE.height / 2];
      const mid = (x1 + x2) / 2;
      return [
        { from: dep, to: s.index, d: `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}` },
      ];
    }),
  );
  const columns = nodes.length === 0 ? 0 : Math.max(...nodes.map((n) => n.depth)) + 1;
  const tallest = Math.max(0, ...rows.values());
  return {
    width: columns === 0 ? 0 : 2 * PAD + columns * NODE.width + (columns - 1) * GAP.x,
    height: tallest === 0 ? 0 : 2 * PAD + tallest * NODE.height + (tallest - 1) * GAP.y,
    nodes,
    edges,
  };
}
