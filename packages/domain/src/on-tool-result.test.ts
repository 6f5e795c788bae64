import { describe, it, expect } from 'vitest';
import type { DomainEvent } from './events';
import type { SessionInput } from './inputs';
import type { TransitionResult } from './outcome';
import type { ToolOutcome } from './records';
import type { World } from './testing/world';
import { createWorld, step } from './testing/world';
import { testDigest } from './context';
import { PAYLOAD_PREFIX_CHARS } from './payload-summary';

type EventOf<K extends DomainEvent['type']> = Extract<DomainEvent, { type: K }>;
function data<K extends DomainEvent['type']>(r: TransitionResult, type: K): EventOf<K>['data'][] {
  return r.events
    .filter((e): e is EventOf<K> => e.type === type)
    .map((e) => e.data as EventOf<K>['data']);
}
const kinds = (r: TransitionResult): string[] => r.decisions.map((d) => d.kind);
const read = (path: string) => ({ name: 'read_file', arguments: { path } });
const result = (callId: string, value: string): SessionInput => ({
  type: 'tool_result',
  callId,
  outcome: { type: 'result', value },
});

/** A coder run whose step made `calls`; returns the world and the call ids in call order. */
function awaiting(calls: { name: string; arguments: Record<string, unknown> }[]) {
  const world = createWorld();
  world.apply({ type: 'user_message', text: 'go', agent: 'coder' });
  step(world, '', calls);
  const ids = world
    .calls()
    .sort((a, b) => a.index - b.index)
    .map((c) => c.id);
  return { world, ids: ids as [string, string, string] };
}

/** Applies `input`, expects it changed no state, and returns the result. */
function applyUnchanged(world: World, input: SessionInput): TransitionResult {
  const before = world.state;
  const r = world.apply(input);
  expect(r.state).toEqual(before);
  expect(r.effects).toEqual([]);
  expect(r.messages).toEqual([]);
  return r;
}

describe('tool results of parallel calls', () => {
  it('arriving 3, 1, 2 wait twice for siblings and continue the agent once, after the last', () => {
    const { world, ids } = awaiting([read('a'), read('b'), read('c')]);
    const [c1, c2, c3] = ids;
    const r3 = world.apply(result(c3, 'C'));
    const r1 = world.apply(result(c1, 'A'));
    const r2 = world.apply(result(c2, 'B'));
    expect([r3, r1, r2].map(kinds)).toEqual([
      ['wait_for_siblings'],
      ['wait_for_siblings'],
      ['continue_agent'],
    ]);
    expect([r3, r1, r2].map((r) => r.outcome)).toEqual([
      { ok: true, decision: 'wait_for_siblings', duplicate: false },
      { ok: true, decision: 'wait_for_siblings', duplicate: false },
      { ok: true, decision: 'continue_agent', duplicate: false },
    ]);
    expect([r3, r1].flatMap((r) => [...r.effects, ...r.messages])).toEqual([]);
    expect(r1.state.session.run.status).toBe('awaiting_tools');
    expect(r2.effects).toEqual([
      expect.objectContaining({
        type: 'run_model_step',
        agent: 'coder',
        owner: { kind: 'session' },
      }),
    ]);
    expect(world.effects.filter((e) => e.type === 'run_model_step')).toHaveLength(2);
  });

  it('hand the next step the three tool messages in call order, whatever the arrival order', () => {
    const { world, ids } = awaiting([read('a'), read('b'), read('c')]);
    const [c1, c2, c3] = ids;
    world.apply(result(c3, 'C'));
    world.apply(result(c1, 'A'));
    const r = world.apply(result(c2, 'B'));
    expect(r.messages.map((m) => m.body)).toEqual([
      { role: 'tool', callId: c1, name: 'read_file', outcome: { type: 'result', value: 'A' } },
      { role: 'tool', callId: c2, name: 'read_file', outcome: { type: 'result', value: 'B' } },
      { role: 'tool', callId: c3, name: 'read_file', outcome: { type: 'result', value: 'C' } },
    ]);
    expect(r.messages.every((m) => m.subtaskId === null)).toBe(true);
    expect(r.state.session.run.status).toBe('model_step');
  });

  it('are recorded as resolved by the client, errors included', () => {
    const { world, ids } = awaiting([read('a')]);
    const outcome: ToolOutcome = { type: 'error', message: 'ENOENT' };
    const r = world.apply({ type: 'tool_result', callId: ids[0], outcome });
    expect(data(r, 'tool_call.resolved')).toEqual([
      { callId: ids[0], name: 'read_file', outcome, resolvedBy: 'client' },
    ]);
    expect(r.state.calls[ids[0]]).toMatchObject({
      status: 'resolved',
      outcome,
      resolvedBy: 'client',
      resolution: 'continue_agent',
    });
  });
});

describe('the last tool result of a step that also switched agent', () => {
  it('continues the run with the new agent, which the switch, not the result, chose', () => {
    const world = createWorld();
    world.apply({ type: 'user_message', text: 'go' });
    step(world, '', [read('a'), { name: 'switch_agent', arguments: { agent: 'coder' } }]);
    const r = world.apply(result(world.calls()[0]?.id ?? '', 'A'));
    expect(kinds(r)).toEqual(['continue_agent']);
    expect(r.effects).toEqual([
      expect.objectContaining({ type: 'run_model_step', agent: 'coder' }),
    ]);
    expect(data(r, 'agent.switched')).toEqual([]);
  });
});

describe('a repeated tool result', () => {
  it('with the same payload is duplicate_ignored, returns the original decision and changes nothing', () => {
    const { world, ids } = awaiting([read('a'), read('b')]);
    world.apply(result(ids[0], 'A'));
    world.apply(result(ids[1], 'B'));
    const last = applyUnchanged(world, result(ids[1], 'B'));
    expect(kinds(last)).toEqual(['duplicate_ignored']);
    expect(last.decisions[0]?.callId).toBe(ids[1]);
    expect(last.outcome).toEqual({ ok: true, decision: 'continue_agent', duplicate: true });
    const first = applyUnchanged(world, result(ids[0], 'A'));
    expect(first.outcome).toEqual({ ok: true, decision: 'wait_for_siblings', duplicate: true });
  });

  it('with a different payload is rejected with CONFLICT and changes nothing', () => {
    const { world, ids } = awaiting([read('a')]);
    world.apply(result(ids[0], 'A'));
    const r = applyUnchanged(world, result(ids[0], 'other'));
    expect(r.outcome).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(kinds(r)).toEqual(['conflict_rejected']);
    const asError = applyUnchanged(world, {
      type: 'tool_result',
      callId: ids[0],
      outcome: { type: 'error', message: 'A' },
    });
    expect(asError.outcome).toMatchObject({ ok: false, code: 'CONFLICT' });
  });
});

describe('a tool result that continues nothing', () => {
  it('arriving after the run was cancelled is late_result_recorded', () => {
    const { world, ids } = awaiting([read('a')]);
    world.apply({ type: 'cancel_run', reason: 'stop', by: 'client' });
    const r = applyUnchanged(world, result(ids[0], 'A'));
    expect(kinds(r)).toEqual(['late_result_recorded']);
    const text = JSON.stringify({ type: 'result', value: 'A' });
    expect(r.decisions[0]?.input).toEqual({
      type: 'tool_result',
      callId: ids[0],
      outcomeType: 'result',
      chars: text.length,
      digest: testDigest(text),
      prefix: text,
    });
    expect(r.outcome).toEqual({ ok: true, decision: 'late_result_recorded', duplicate: false });
  });

  it('for a call whose approval expired is late_result_recorded (SPEC §6)', () => {
    const world = createWorld({ approvalTimeoutMs: 1000 });
    world.apply({ type: 'user_message', text: 'go', agent: 'coder' });
    step(world, '', [{ name: 'write_file', arguments: { path: 'a', content: '' } }]);
    const call = world.calls()[0];
    world.now += 5000;
    world.apply({ type: 'approval_expired', approvalId: call?.approvalId ?? '' });
    const r = applyUnchanged(world, result(call?.id ?? '', 'written'));
    expect(kinds(r)).toEqual(['late_result_recorded']);
    expect(r.outcome).toEqual({ ok: true, decision: 'late_result_recorded', duplicate: false });
  });

  it('for an unknown call is NOT_FOUND with unknown_call_rejected recorded', () => {
    const { world } = awaiting([read('a')]);
    const r = applyUnchanged(world, result('call-404', 'x'));
    expect(r.outcome).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(kinds(r)).toEqual(['unknown_call_rejected']);
    expect(r.decisions[0]?.callId).toBe('call-404');
    expect(r.events.map((e) => e.type)).toEqual(['decision']);
  });

  it('keeps of a refused payload its size, digest and a bounded prefix, never the payload', () => {
    const { world, ids } = awaiting([read('a')]);
    world.apply(result(ids[0], 'A'));
    const big = 'x'.repeat(1_000_000);
    for (const input of [result(ids[0], big), result('call-404', big)]) {
      const r = applyUnchanged(world, input);
      const record = r.decisions[0]?.input as Record<string, unknown>;
      const text = JSON.stringify({ type: 'result', value: big });
      expect(record).toMatchObject({ chars: text.length, digest: testDigest(text) });
      expect(record['prefix']).toBe(text.slice(0, PAYLOAD_PREFIX_CHARS));
      expect(JSON.stringify(r.events).length).toBeLessThan(2_000);
    }
  });

  it('for a call awaiting approval is a CONFLICT and dispatches nothing', () => {
    const { world, ids } = awaiting([
      { name: 'write_file', arguments: { path: 'a', content: '' } },
    ]);
    const r = applyUnchanged(world, result(ids[0], 'written'));
    expect(r.outcome).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(kinds(r)).toEqual(['conflict_rejected']);
    expect(world.state.calls[ids[0]]?.status).toBe('awaiting_approval');
  });

  it('for a call the runtime answered itself is a CONFLICT', () => {
    const { world, ids } = awaiting([read('a'), { name: 'nope', arguments: {} }]);
    const r = applyUnchanged(world, result(ids[1], 'x'));
    expect(r.outcome).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(kinds(r)).toEqual(['conflict_rejected']);
  });
});
