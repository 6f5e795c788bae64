import { describe, expect, it } from 'vitest';
import { layOutPlan, NODE } from './plan-layout';

const chain = [
  { index: 0, dependsOn: [] },
  { index: 1, dependsOn: [0] },
  { index: 2, dependsOn: [1] },
];

describe("a plan's graph", () => {
  it('puts a chain of dependencies in successive columns, one edge per dependency', () => {
    const layout = layOutPlan(chain);
    expect(layout.nodes.map((n) => n.depth)).toEqual([0, 1, 2]);
    expect(new Set(layout.nodes.map((n) => n.y)).size).toBe(1);
    expect(layout.edges.map((e) => [e.from, e.to])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(layout.height).toBe(NODE.height + 12);
  });

  it("places a subtask after the longest chain before it, and stacks a column's subtasks in plan order", () => {
    const layout = layOutPlan([
      { index: 0, dependsOn: [] },
      { index: 1, dependsOn: [] },
      { index: 2, dependsOn: [0] },
      { index: 3, dependsOn: [2, 1] },
    ]);
    expect(layout.nodes.map((n) => [n.index, n.depth])).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
      [3, 2],
    ]);
    const [first, second] = layout.nodes;
    expect(second!.y).toBeGreaterThan(first!.y);
    expect(second!.x).toBe(first!.x);
  });

  it('has a size set by the shape alone, so a status change never moves anything', () => {
    const a = layOutPlan(chain);
    const b = layOutPlan(chain.map((s) => ({ ...s, status: 'completed' })));
    expect(b).toEqual(a);
  });

  it('ignores dependencies on unknown subtasks and cycles instead of looping', () => {
    const layout = layOutPlan([
      { index: 0, dependsOn: [9, 1] },
      { index: 1, dependsOn: [0] },
    ]);
    expect(layout.nodes).toHaveLength(2);
    expect(layout.edges.length).toBeLessThanOrEqual(1);
  });

  it('is empty for a plan with no subtasks', () => {
    expect(layOutPlan([])).toEqual({ width: 0, height: 0, nodes: [], edges: [] });
  });
});
