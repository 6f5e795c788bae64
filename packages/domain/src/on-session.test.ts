import { describe, it, expect } from 'vitest';
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
const messageOf = (r: TransitionResult): string => (r.outcome.ok ? '' : r.outcome.message);

/** Applies `input` and checks it was refused with `code` and changed nothing. */
function expectRefused(world: World, input: Parameters<World['apply']>[0], code: string) {
  const before = world.state;
  const r = world.apply(input);
  expect(r.outcome).toMatchObject({ ok: false, code });
  expect(r.state).toEqual(before);
  expect(r.effects).toEqual([]);
  expect(r.messages).toEqual([]);
  return r;
}

const read = (path: string) => ({ name: 'read_file', arguments: { path } });
const write = (path: string) => ({ name: 'write_file', arguments: { path, content: 'x' } });
const PLAN = {
  name: 'create_plan',
  arguments: { goal: 'ship', subtasks: [{ title: 'code', description: 'd', agent: 'coder' }] },
};

describe('a user message', () => {
  it('starts a run with the session agent and asks the engine for a model step', () => {
    const world = createWorld();
    const r = world.apply({ type: 'user_message', text: 'hello' });
    const run = r.state.session.run;
    expect(r.outcome).toEqual({ ok: true });
    expect(types(r)).toEqual(['message.user', 'run.state']);
    expect(data(r, 'run.state')).toEqual([
      expect.objectContaining({ from: 'idle', to: 'model_step' }),
    ]);
    expect(run).toMatchObject({ status: 'model_step', agent: 'orchestrator', fence: 1 });
    if (run.status !== 'model_step') throw new Error('unreachable');
    expect(r.effects).toEqual([
      {
        type: 'run_model_step',
        runId: run.runId,
        stepId: run.stepId,
        fence: 1,
        owner: { kind: 'session' },
        agent: 'orchestrator',
      },
    ]);
    expect(r.messages.map((m) => m.body)).toEqual([{ role: 'user', text: 'hello' }]);
    expect(r.decisions).toEqual([]);
  });

  it('that names an agent switches the session to it, visibly, before the run starts', () => {
    const world = createWorld();
    const r = world.apply({ type: 'user_message', text: 'fix it', agent: 'coder' });
    expect(types(r)[0]).toBe('agent.switched');
    expect(data(r, 'agent.switched')).toEqual([
      { from: 'orchestrator', to: 'coder', reason: 'requested with the message' },
    ]);
    expect(r.state.session.agent).toBe('coder');
    expect(r.effects).toEqual([
      expect.objectContaining({ type: 'run_model_step', agent: 'coder' }),
    ]);
  });

  it('that names the current agent switches nothing', () => {
    const r = createWorld().apply({ type: 'user_message', text: 'hi', agent: 'orchestrator' });
    expect(types(r)).not.toContain('agent.switched');
  });

  it('is refused with CONFLICT while a model step is in flight, and changes nothing', () => {
    const world = createWorld();
    world.apply({ type: 'user_message', text: 'first' });
    const r = expectRefused(world, { type: 'user_message', text: 'second' }, 'CONFLICT');
    expect(messageOf(r)).toContain('a model step of the orchestrator agent is in flight');
    expect(r.events).toEqual([]);
    expect(r.decisions).toEqual([]);
  });

  it.each([
    ['tool results are outstanding', [read('a.ts')]],
    ['a tool call awaits approval', [write('a.ts')]],
  ])('is refused with CONFLICT saying %s', (waitingFor, calls) => {
    const world = createWorld();
    world.apply({ type: 'user_message', text: 'go', agent: 'coder' });
    step(world, '', calls);
    const r = expectRefused(world, { type: 'user_message', text: 'again' }, 'CONFLICT');
    expect(messageOf(r)).toContain(waitingFor);
  });

  it('is refused with CONFLICT naming the plan that awaits a decision', () => {
    const world = createWorld();
    world.apply({ type: 'user_message', text: 'plan it' });
    step(world, '', [PLAN]);
    const planId = world.plan().id;
    const r = expectRefused(world, { type: 'user_message', text: 'hurry' }, 'CONFLICT');
    expect(messageOf(r)).toContain(`plan ${planId} awaits a decision (plan ${planId} is active)`);
  });
});

describe('cancel_run', () => {
  it('cancels the open calls and approvals of the step, ends the run and leaves the session usable', () => {
    const world = createWorld();
    world.apply({ type: 'user_message', text: 'go', agent: 'coder' });
    step(world, '', [read('a.ts'), write('b.ts')]);
    const r = world.apply({ type: 'cancel_run', reason: 'stop', by: 'client' });
    expect(r.outcome).toEqual({ ok: true });
    expect(Object.values(r.state.calls).map((c) => c.status)).toEqual(['cancelled', 'cancelled']);
    expect(Object.values(r.state.approvals).map((a) => a.status)).toEqual(['cancelled']);
    expect(data(r, 'tool_call.resolved').map((e) => e.resolvedBy)).toEqual(['cancel', 'cancel']);
    expect(data(r, 'approval.decided')).toEqual([
      expect.objectContaining({ kind: 'tool', status: 'cancelled' }),
    ]);
    expect(r.messages.map((m) => m.body.role)).toEqual(['tool', 'tool']);
    expect(r.state.session.run).toEqual({ status: 'idle' });
    expect(world.apply({ type: 'user_message', text: 'next' }).outcome).toEqual({ ok: true });
  });

  it('aborts a model step in flight', () => {
    const world = createWorld();
    world.apply({ type: 'user_message', text: 'go' });
    const { stepId } = world.pendingStep();
    const r = world.apply({ type: 'cancel_run', reason: 'stop', by: 'operator' });
    expect(r.effects).toEqual([{ type: 'abort_model_step', stepId, reason: 'stop' }]);
    expect(r.state.session.run.status).toBe('idle');
  });

  it('cancels the active plan with a plan_cancelled decision', () => {
    const world = createWorld({ planApproval: 'auto' });
    world.apply({ type: 'user_message', text: 'plan it' });
    step(world, '', [PLAN]);
    const planId = world.plan().id;
    const r = world.apply({ type: 'cancel_run', reason: 'enough', by: 'client' });
    expect(r.decisions.map((d) => d.kind)).toEqual(['plan_cancelled']);
    expect(r.decisions[0]?.planId).toBe(planId);
    expect(r.state.plans[planId]?.status).toBe('cancelled');
    expect(r.state.plans[planId]?.subtasks.map((s) => s.status)).toEqual(['cancelled']);
    expect(r.state.session).toMatchObject({ activePlanId: null, run: { status: 'idle' } });
    expect(r.effects.map((e) => e.type)).toEqual(['abort_model_step']);
  });

  it('on an idle session is a no-op', () => {
    const world = createWorld();
    const before = world.state;
    const r = world.apply({ type: 'cancel_run', reason: 'stop', by: 'client' });
    expect(r.outcome).toEqual({ ok: true, duplicate: true });
    expect(r.state).toEqual(before);
    expect(r.events).toEqual([]);
  });
});

describe('lease_expired', () => {
  it('bumps the fence, records lease_recovered and re-issues the same step', () => {
    const world = createWorld();
    world.apply({ type: 'user_message', text: 'go' });
    const pending = world.pendingStep();
    const r = world.apply({ type: 'lease_expired', stepId: pending.stepId, fence: 1 });
    expect(r.outcome).toEqual({ ok: true });
    expect(r.decisions.map((d) => d.kind)).toEqual(['lease_recovered']);
    expect(types(r)).toEqual(['decision']);
    expect(r.effects).toEqual([{ ...pending, fence: 2 }]);
    expect(r.state.session.run).toMatchObject({
      status: 'model_step',
      stepId: pending.stepId,
      fence: 2,
    });
    expect(r.messages).toEqual([]);
  });

  it('accepts the output of the new lease holder', () => {
    const world = createWorld();
    world.apply({ type: 'user_message', text: 'go' });
    world.apply({ type: 'lease_expired', stepId: world.pendingStep().stepId, fence: 1 });
    expect(step(world, 'done').state.session.run.status).toBe('idle');
  });

  it('is refused when its fence is stale, its step is not in flight, or the session is idle', () => {
    const world = createWorld();
    expectRefused(world, { type: 'lease_expired', stepId: 'step-x', fence: 1 }, 'CONFLICT');
    world.apply({ type: 'user_message', text: 'go' });
    const { stepId } = world.pendingStep();
    world.apply({ type: 'lease_expired', stepId, fence: 1 });
    const stale = expectRefused(world, { type: 'lease_expired', stepId, fence: 1 }, 'CONFLICT');
    expect(stale.decisions).toEqual([]);
    expectRefused(world, { type: 'lease_expired', stepId: 'step-x', fence: 2 }, 'CONFLICT');
  });
});
