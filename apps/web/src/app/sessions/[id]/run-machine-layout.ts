import type { RunStatus } from '@baton/domain';

/** A transition drawn in the run state machine. */
export interface DrawnTransition {
  readonly from: RunStatus;
  readonly to: RunStatus;
  /** How many times the run took it (0: possible, not taken). */
  readonly taken: number;
  /** An SVG path between the two states' boxes. */
  readonly d: string;
  /** Where its count goes. */
  readonly label: { readonly x: number; readonly y: number };
}

export const STATE_BOX = { width: 176, height: 34 } as const;

/** Where each state's box is centred (the drawing is 720 × 300). */
export const STATE_AT: Readonly<Record<RunStatus, { x: number; y: number }>> = {
  idle: { x: 96, y: 150 },
  model_step: { x: 330, y: 150 },
  awaiting_tools: { x: 600, y: 50 },
  awaiting_approval: { x: 600, y: 150 },
  awaiting_plan_decision: { x: 600, y: 250 },
};
export const MACHINE_SIZE = { width: 720, height: 300 } as const;

/**
 * The transitions the engine makes (a message starts a step; a step ends or calls tools — a
 * plan is proposed by a `create_plan` call; an approval, a result, a plan decision or a cancel
 * moves on). One the path shows that is not here is drawn too: the drawing never hides what
 * happened.
 */
const KNOWN: readonly (readonly [RunStatus, RunStatus])[] = [
  ['idle', 'model_step'],
  ['model_step', 'idle'],
  ['model_step', 'awaiting_tools'],
  ['awaiting_tools', 'model_step'],
  ['awaiting_tools', 'awaiting_approval'],
  ['awaiting_approval', 'awaiting_tools'],
  ['awaiting_approval', 'model_step'],
  ['awaiting_tools', 'awaiting_plan_decision'],
  ['awaiting_plan_decision', 'model_step'],
  ['awaiting_tools', 'idle'],
  ['awaiting_approval', 'idle'],
  ['awaiting_plan_decision', 'idle'],
];

/** Transitions that would cross another state's box, and the control point that bends them around. */
const AROUND: Partial<Record<string, { x: number; y: number }>> = {
  'awaiting_tools>idle': { x: 330, y: 10 },
  'awaiting_approval>idle': { x: 330, y: 270 },
  'awaiting_plan_decision>idle': { x: 330, y: 296 },
  'awaiting_tools>awaiting_plan_decision': { x: 800, y: 150 },
};

/** The point where the segment from a box's centre towards (dx, dy) leaves the box. */
function exit(at: { x: number; y: number }, dx: number, dy: number) {
  const scale = Math.min(
    dx === 0 ? Infinity : STATE_BOX.width / 2 / Math.abs(dx),
    dy === 0 ? Infinity : STATE_BOX.height / 2 / Math.abs(dy),
  );
  return { x: at.x + dx * scale, y: at.y + dy * scale };
}

const round = (n: number) => Math.round(n * 10) / 10;

/** One transition's curve: bent to its right, so A→B and B→A do not overlap. */
function curve(from: RunStatus, to: RunStatus) {
  const [a, b] = [STATE_AT[from], STATE_AT[to]];
  const around = AROUND[`${from}>${to}`];
  const [dx, dy] = [b.x - a.x, b.y - a.y];
  const length = Math.hypot(dx, dy);
  // The control point: off the midpoint, to the right of the direction of travel.
  const control = around ?? {
    x: (a.x + b.x) / 2 - (dy / length) * 18,
    y: (a.y + b.y) / 2 + (dx / length) * 18,
  };
  const start = exit(a, control.x - a.x, control.y - a.y);
  const end = exit(b, control.x - b.x, control.y - b.y);
  return {
    d: `M ${round(start.x)} ${round(start.y)} Q ${round(control.x)} ${round(control.y)} ${round(end.x)} ${round(end.y)}`,
    // The curve's midpoint (t = ½).
    label: {
      x: round((start.x + 2 * control.x + end.x) / 4),
      y: round((start.y + 2 * control.y + end.y) / 4),
    },
  };
}

/** Every transition to draw, each with how often the run took it along `path`. */
export function drawTransitions(path: readonly RunStatus[]): DrawnTransition[] {
  const taken = new Map<string, number>();
  for (let i = 1; i < path.length; i++) {
    const key = `${path[i - 1]}>${path[i]}`;
    taken.set(key, (taken.get(key) ?? 0) + 1);
  }
  const pairs = [...KNOWN];
  for (const key of taken.keys()) {
    const [from, to] = key.split('>') as [RunStatus, RunStatus];
    if (!pairs.some(([f, t]) => f === from && t === to)) pairs.push([from, to]);
  }
  return pairs.map(([from, to]) => ({
    from,
    to,
    taken: taken.get(`${from}>${to}`) ?? 0,
    ...curve(from, to),
  }));
}
