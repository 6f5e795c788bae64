import { describe, expect, it } from 'vitest';
import { drawTransitions } from './run-machine-layout';

describe('the run state machine drawing', () => {
  it('counts each transition the run took along its path', () => {
    const drawn = drawTransitions(['idle', 'model_step', 'awaiting_tools', 'model_step', 'idle']);
    const taken = drawn.filter((t) => t.taken > 0).map((t) => [t.from, t.to, t.taken]);
    expect(taken).toEqual([
      ['idle', 'model_step', 1],
      ['model_step', 'idle', 1],
      ['model_step', 'awaiting_tools', 1],
      ['awaiting_tools', 'model_step', 1],
    ]);
  });

  it('draws the transitions not taken too, and one it did not know of when the path has it', () => {
    const quiet = drawTransitions([]);
    expect(quiet.every((t) => t.taken === 0)).toBe(true);
    expect(quiet.length).toBeGreaterThan(10);
    const surprising = drawTransitions(['model_step', 'awaiting_approval']);
    expect(surprising.at(-1)).toMatchObject({
      from: 'model_step',
      to: 'awaiting_approval',
      taken: 1,
    });
  });

  it('bends A→B and B→A apart so both stay visible', () => {
    const drawn = drawTransitions([]);
    const there = drawn.find((t) => t.from === 'idle' && t.to === 'model_step');
    const back = drawn.find((t) => t.from === 'model_step' && t.to === 'idle');
    expect(there!.d).not.toBe(back!.d);
    expect(there!.label.y).not.toBe(back!.label.y);
  });
});
