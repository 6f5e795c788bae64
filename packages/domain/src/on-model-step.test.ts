import { describe, it, expect } from 'vitest';
import type { DomainConfig } from './context';
import type { DomainEvent } from './events';
import type { TransitionResult } from './outcome';
import type { World } from './testing/world';
import { createWorld, step } from './testing/world';

type EventOf<K extends DomainEvent['type']> = Extract<DomainEvent, { type: K }>;
function data<K extends DomainEvent['type']>(r: TransitionResult, type: K): EventOf<K>['data'][] {
  return r.events
    .filter((e): e is EventOf<K> => e.type === type)
    .map((e) => e.data as EventOf<K>['data']);
}
const types = (r: TransitionResult): string[] => r.events.map((e) => e.type);
const read = (path: string) => ({ name: 'read_file', arguments: { path } });
const ok = (callId: string, value: string) =>
  ({ type: 'tool_result', callId, outcome: { type: 'result', value } }) as const;

function started(agent?: 'coder' | 'orchestrator', config: Partial<DomainConfig> = {}): World {
  const world = createWorld(config);
  world.apply({ type: 'user_message', text: 'go', ...(agent ? { agent } : {}) });
  return world;
}

/** A world whose plan (one coder subtask, approved automatically) has its subtask's step in flight. */
function inSubtask(config: Partial<DomainConfig> = {}): World {
  const world = started(undefined, { planApproval: 'auto', ...config });
  step(world, '', [
    {
      name: 'create_plan',
      arguments: { goal: 'g', subtasks: [{ title: 'code', description: 'd', agent: 'coder' }] },
    },
  ]);
  return world;
}

/** Expects `r` answered its only call as a tool error with `message`, dispatched nothing, and continued. */
function expectAnsweredAsError(r: TransitionResult, message: string | RegExp) {
  expect(types(r)).not.toContain('tool_call.dispatched');
  expect(types(r)).not.toContain('approval.requested');
  const [resolved] = data(r, 'tool_call.resolved');
  expect(resolved).toMatchObject({ resolvedBy: 'runtime', outcome: { type: 'error' } });
  expect(resolved?.outcome.type === 'error' && resolved.outcome.message).toMatch(message);
  expect(r.messages.map((m) => m.body.role)).toEqual(['assistant', 'tool']);
  expect(r.effects).toEqual([expect.objectContaining({ type: 'run_model_step' })]);
}

describe('a completed model step', () => {
  it('with plain text and no tool call ends the run', () => {
    const world = started();
    const r = step(world, 'All done.');
    expect(types(r)).toEqual(['message.assistant', 'run.state']);
    expect(data(r, 'run.state')[0]).toMatchObject({ from: 'model_step', to: 'idle' });
    expect(r.messages.map((m) => m.body)).toEqual([
      { role: 'assistant', text: 'All done.', toolCalls: [] },
    ]);
    expect(r.effects).toEqual([]);
    expect(r.state.session.run).toEqual({ status: 'idle' });
  });

  it('dispatches every one of its parallel calls, in order, and waits for them (SPEC §3.1.3)', () => {
    const world = started();
    const r = step(world, '', [read('a'), read('b'), read('c')]);
    expect(data(r, 'tool_call.dispatched').map((e) => e.arguments)).toEqual([
      { path: 'a' },
      { path: 'b' },
      { path: 'c' },
    ]);
    expect(world.calls().map((c) => [c.index, c.status])).toEqual([
      [0, 'dispatched'],
      [1, 'dispatched'],
      [2, 'dispatched'],
    ]);
    expect(r.state.session.run.status).toBe('awaiting_tools');
    expect(r.effects).toEqual([]);
  });

  it('answers an unknown tool as a tool error without dispatching it', () => {
    expectAnsweredAsError(
      step(started(), '', [{ name: 'rm_rf', arguments: {} }]),
      'Unknown tool "rm_rf".',
    );
  });

  it('answers a call outside the agent permissions as a tool error without dispatching it', () => {
    const r = step(started(), '', [{ name: 'write_file', arguments: { path: 'a', content: '' } }]);
    expectAnsweredAsError(r, /^The orchestrator agent may not call write_file\./);
  });

  it('answers invalid arguments as a tool error naming the field, without dispatching', () => {
    const r = step(started(), '', [{ name: 'read_file', arguments: { file: 'a' } }]);
    expectAnsweredAsError(r, /^Invalid arguments for read_file: path: .*"file"/);
  });

  it('dispatches the valid calls of a step and answers the others as errors', () => {
    const world = started();
    const r = step(world, '', [read('a'), { name: 'nope', arguments: {} }]);
    expect(data(r, 'tool_call.dispatched').map((e) => e.arguments)).toEqual([{ path: 'a' }]);
    expect(r.state.session.run.status).toBe('awaiting_tools');
    const done = world.apply(ok(world.calls()[0]?.id ?? '', 'text'));
    expect(done.decisions.map((d) => d.kind)).toEqual(['continue_agent']);
    expect(done.messages.map((m) => m.body.role)).toEqual(['tool', 'tool']);
  });

  it('with switch_agent hands the run to the new agent, whose step comes next', () => {
    const world = started();
    const r = step(world, '', [
      { name: 'switch_agent', arguments: { agent: 'coder', reason: 'code' } },
    ]);
    expect(data(r, 'agent.switched')).toEqual([
      { from: 'orchestrator', to: 'coder', reason: 'code' },
    ]);
    expect(r.state.session.agent).toBe('coder');
    expect(r.effects).toEqual([
      expect.objectContaining({ type: 'run_model_step', agent: 'coder' }),
    ]);
    expect(r.state.session.run).toMatchObject({ status: 'model_step', agent: 'coder' });
  });

  it('with switch_agent to an unknown agent answers a tool error and keeps the agent', () => {
    const r = step(started(), '', [{ name: 'switch_agent', arguments: { agent: 'wizard' } }]);
    expectAnsweredAsError(r, 'Unknown agent "wizard".');
    expect(r.state.session.agent).toBe('orchestrator');
  });

  it('with attempt_completion ends the run', () => {
    const r = step(started('coder'), '', [
      { name: 'attempt_completion', arguments: { result: 'ok' } },
    ]);
    expect(data(r, 'tool_call.resolved')).toEqual([
      expect.objectContaining({ name: 'attempt_completion', resolvedBy: 'runtime' }),
    ]);
    expect(data(r, 'run.state').at(-1)).toMatchObject({ to: 'idle', reason: 'completed' });
    expect(r.state.session.run).toEqual({ status: 'idle' });
    expect(r.effects).toEqual([]);
  });

  it('with ask_followup_question ends the run, and the next user message answers it', () => {
    const world = started('coder');
    const r = step(world, '', [
      { name: 'ask_followup_question', arguments: { question: 'Which?' } },
    ]);
    expect(r.state.session.run).toEqual({ status: 'idle' });
    expect(r.messages.map((m) => m.body.role)).toEqual(['assistant', 'tool']);
    expect(r.effects).toEqual([]);
    expect(world.apply({ type: 'user_message', text: 'That one.' }).outcome).toEqual({ ok: true });
  });

  it('refuses a solo tool called alongside others, and carries out the others', () => {
    const world = started('coder');
    const r = step(world, '', [
      read('a'),
      { name: 'attempt_completion', arguments: { result: 'x' } },
    ]);
    expect(data(r, 'tool_call.dispatched').map((e) => e.name)).toEqual(['read_file']);
    expect(data(r, 'tool_call.resolved')).toEqual([
      expect.objectContaining({
        name: 'attempt_completion',
        outcome: {
          type: 'error',
          message:
            'attempt_completion must be the only tool call of its step. Call it again once the other calls have their results.',
        },
      }),
    ]);
    expect(r.state.session.run.status).toBe('awaiting_tools');
  });

  it('from a stale fence records stale_worker_fenced and changes nothing', () => {
    const world = started();
    const { stepId } = world.pendingStep();
    world.apply({ type: 'lease_expired', stepId, fence: 1 });
    const before = world.state;
    const r = world.apply({
      type: 'model_step_completed',
      stepId,
      fence: 1,
      text: 'late',
      toolCalls: [],
    });
    expect(r.outcome).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(r.decisions.map((d) => d.kind)).toEqual(['stale_worker_fenced']);
    expect(types(r)).toEqual(['decision']);
    expect(r.state).toEqual(before);
    expect(r.messages).toEqual([]);
    expect(r.effects).toEqual([]);
  });

  it('for a step no longer in flight is fenced too', () => {
    const world = started();
    const { stepId } = world.pendingStep();
    world.apply({ type: 'cancel_run', reason: 'stop', by: 'client' });
    const before = world.state;
    const r = world.apply({
      type: 'model_step_completed',
      stepId,
      fence: 1,
      text: 'x',
      toolCalls: [read('a')],
    });
    expect(r.decisions.map((d) => d.kind)).toEqual(['stale_worker_fenced']);
    expect(r.state).toEqual(before);
  });

  it('beyond the run step limit ends the run with an error', () => {
    const world = started(undefined, { maxRunSteps: 1 });
    step(world, '', [read('a')]);
    const r = world.apply(ok(world.calls()[0]?.id ?? '', 'x'));
    expect(data(r, 'error')).toEqual([
      expect.objectContaining({ message: 'The run reached its limit of 1 steps.' }),
    ]);
    expect(r.state.session.run).toEqual({ status: 'idle' });
    expect(r.effects).toEqual([]);
  });
});

describe('a failed model step', () => {
  it('of the session loop ends the run with an error', () => {
    const world = started();
    const { stepId } = world.pendingStep();
    const r = world.apply({ type: 'model_step_failed', stepId, fence: 1, error: '503' });
    expect(data(r, 'error')).toEqual([
      expect.objectContaining({ message: 'Model step failed: 503' }),
    ]);
    expect(r.state.session.run).toEqual({ status: 'idle' });
  });

  it('of a subtask fails the subtask and its plan, leaving the session idle and usable', () => {
    const world = inSubtask();
    const { stepId } = world.pendingStep();
    const r = world.apply({ type: 'model_step_failed', stepId, fence: 1, error: '429' });
    expect(r.decisions.map((d) => d.kind)).toEqual(['plan_failed']);
    const plan = world.plan();
    expect(plan.status).toBe('failed');
    expect(plan.subtasks[0]).toMatchObject({ status: 'failed', error: 'model error: 429' });
    expect(data(r, 'plan.status')).toEqual([{ planId: plan.id, status: 'failed' }]);
    expect(r.state.session).toMatchObject({
      run: { status: 'idle' },
      activePlanId: null,
      agent: 'orchestrator',
    });
    expect(world.apply({ type: 'user_message', text: 'hi' }).outcome).toEqual({ ok: true });
  });

  it('from a stale fence is fenced and changes nothing', () => {
    const world = started();
    const before = world.state;
    const r = world.apply({
      type: 'model_step_failed',
      stepId: world.pendingStep().stepId,
      fence: 7,
      error: 'x',
    });
    expect(r.decisions.map((d) => d.kind)).toEqual(['stale_worker_fenced']);
    expect(r.state).toEqual(before);
  });
});

describe('the subtask step limit', () => {
  it('fails a subtask that would take more than maxSubtaskSteps steps', () => {
    const world = inSubtask({ maxSubtaskSteps: 2 });
    step(world, '', [read('a')]);
    world.apply(ok(world.calls().at(-1)?.id ?? '', 'a'));
    expect(world.plan().subtasks[0]?.steps).toBe(2);
    step(world, '', [read('b')]);
    const r = world.apply(ok(world.calls().at(-1)?.id ?? '', 'b'));
    expect(r.decisions.map((d) => d.kind)).toEqual(['resume_subtask', 'plan_failed']);
    expect(world.plan().subtasks[0]).toMatchObject({
      status: 'failed',
      error: 'exceeded the limit of 2 steps',
    });
    expect(world.plan().status).toBe('failed');
    expect(r.effects).toEqual([]);
    expect(r.state.session.run).toEqual({ status: 'idle' });
  });
});
