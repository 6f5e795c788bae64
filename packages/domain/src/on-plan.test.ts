import { describe, it, expect } from 'vitest';
import type { DomainConfig } from './context';
import type { DomainEvent } from './events';
import type { SessionInput } from './inputs';
import type { TransitionResult } from './outcome';
import type { World } from './testing/world';
import { createWorld, step } from './testing/world';

type EventOf<K extends DomainEvent['type']> = Extract<DomainEvent, { type: K }>;
function data<K extends DomainEvent['type']>(events: readonly DomainEvent[], type: K) {
  return events
    .filter((e): e is EventOf<K> => e.type === type)
    .map((e) => e.data as EventOf<K>['data']);
}
const kinds = (r: TransitionResult): string[] => r.decisions.map((d) => d.kind);
const sub = (title: string, agent = 'coder', dependsOn: number[] = []) => ({
  title,
  description: `do ${title}`,
  agent,
  dependsOn,
});
type Sub = ReturnType<typeof sub>;
const read = (path: string) => ({ name: 'read_file', arguments: { path } });
const complete = (world: World, result: string) =>
  step(world, '', [{ name: 'attempt_completion', arguments: { result } }]);
const submit = (world: World, callId = '') =>
  world.apply({ type: 'tool_result', callId, outcome: { type: 'result', value: 'text' } });
const decidePlan = (planId: string, decision: 'approve' | 'reject' | 'revise', feedback = '') =>
  ({ type: 'plan_decision', planId, decision, by: 'alice', feedback }) as const;
const cancel = (planId: string) =>
  ({ type: 'cancel_plan', planId, reason: 'stop', by: 'op' }) as const;
const retry = (planId: string, subtaskId = '') =>
  ({ type: 'retry_subtask', planId, subtaskId, by: 'op' }) as const;
const statuses = (world: World) => world.plan().subtasks.map((s) => s.status);
const textOf = (r: TransitionResult, pick: (m: TransitionResult['messages'][number]) => boolean) =>
  JSON.stringify(r.messages.find(pick)?.body ?? null);

/** The orchestrator proposed a plan of `subtasks` for the goal "Build it". */
function proposed(subtasks: Sub[], config: Partial<DomainConfig> = {}) {
  const world = createWorld(config);
  world.apply({ type: 'user_message', text: 'original request' });
  const r = step(world, '', [{ name: 'create_plan', arguments: { goal: 'Build it', subtasks } }]);
  return { world, r };
}

function approved(subtasks: Sub[]): World {
  const { world } = proposed(subtasks);
  world.apply(decidePlan(world.plan().id, 'approve'));
  return world;
}

function expectRefused(world: World, input: SessionInput, code: string): TransitionResult {
  const before = world.state;
  const r = world.apply(input);
  expect(r.outcome).toMatchObject({ ok: false, code });
  expect(r.state).toEqual(before);
  expect(r.effects).toEqual([]);
  return r;
}

describe('create_plan', () => {
  it('with approval required waits for a decision and requests a plan approval', () => {
    const { world, r } = proposed([sub('a'), sub('b', 'debug', [0])]);
    const plan = world.plan();
    expect(plan).toMatchObject({ status: 'awaiting_approval', supersedesPlanId: null });
    expect(r.state.session).toMatchObject({
      activePlanId: plan.id,
      run: { status: 'awaiting_plan_decision', planId: plan.id },
    });
    expect(data(r.events, 'approval.requested')).toEqual([
      { approvalId: plan.approvalId, kind: 'plan', planId: plan.id, callId: plan.callId },
    ]);
    const created = data(r.events, 'plan.created')[0]?.subtasks;
    expect(created?.map((s) => [s.title, s.agent, s.dependsOn])).toEqual([
      ['a', 'coder', []],
      ['b', 'debug', [0]],
    ]);
    expect(r.effects).toEqual([]);
  });

  it('that is invalid is answered to the orchestrator as a tool error and creates nothing', () => {
    const { world, r } = proposed([sub('a', 'coder', [1]), sub('b', 'coder', [0])]);
    expect(world.state.plans).toEqual({});
    expect(data(r.events, 'plan.created')).toEqual([]);
    expect(r.messages.at(-1)?.body).toMatchObject({ role: 'tool', outcome: { type: 'error' } });
    expect(textOf(r, (m) => m.body.role === 'tool')).toContain('cycle: 0 -> 1 -> 0');
    expect(r.effects).toEqual([expect.objectContaining({ agent: 'orchestrator' })]);
  });

  it('with auto approval starts its first subtask at once', () => {
    const { world, r } = proposed([sub('a'), sub('b')], { planApproval: 'auto' });
    expect(world.plan()).toMatchObject({ status: 'in_progress', approvalId: null });
    expect(data(r.events, 'approval.requested')).toEqual([]);
    expect(statuses(world)).toEqual(['running', 'pending']);
    expect(r.effects).toEqual([
      expect.objectContaining({ type: 'run_model_step', agent: 'coder' }),
    ]);
  });
});

describe('an approved plan', () => {
  it('runs one subtask at a time, the first pending one whose dependencies are completed', () => {
    const world = approved([sub('a'), sub('b', 'coder', [2]), sub('c', 'debug')]);
    expect(statuses(world)).toEqual(['running', 'pending', 'pending']);
    const afterA = complete(world, 'A done');
    expect(kinds(afterA)).toEqual(['plan_advanced']);
    expect(statuses(world)).toEqual(['completed', 'pending', 'running']);
    expect(afterA.effects).toEqual([expect.objectContaining({ agent: 'debug' })]);
    complete(world, 'C done');
    expect(statuses(world)).toEqual(['completed', 'running', 'completed']);
  });

  it('owns the calls of a subtask, and their results resume that subtask', () => {
    const world = approved([sub('a')]);
    const owner = world.pendingStep().owner;
    if (owner.kind !== 'subtask') throw new Error('expected a subtask step');
    const { planId, subtaskId } = owner;
    const r = step(world, '', [read('x'), read('y')]);
    expect(data(r.events, 'tool_call.dispatched').map((e) => [e.subtaskId, e.agent])).toEqual([
      [subtaskId, 'coder'],
      [subtaskId, 'coder'],
    ]);
    const [c1, c2] = world.calls().filter((c) => c.owner.kind === 'subtask');
    const first = submit(world, c1?.id);
    const last = submit(world, c2?.id);
    expect([...kinds(first), ...kinds(last)]).toEqual(['wait_for_siblings', 'resume_subtask']);
    expect(last.outcome).toEqual({ ok: true, decision: 'resume_subtask', duplicate: false });
    expect(last.decisions[0]).toMatchObject({ planId, subtaskId, agent: 'coder' });
    expect(last.messages.map((m) => m.subtaskId)).toEqual([subtaskId, subtaskId]);
    expect(last.effects).toEqual([
      expect.objectContaining({ owner: { kind: 'subtask', planId, subtaskId }, agent: 'coder' }),
    ]);
  });

  it('never changes the session agent', () => {
    const world = approved([sub('a'), sub('b', 'debug', [0])]);
    step(world, '', [read('x')]);
    submit(world, world.calls().at(-1)?.id);
    complete(world, 'A');
    complete(world, 'B');
    expect(data(world.events, 'agent.switched')).toEqual([]);
    expect(world.state.session.agent).toBe('orchestrator');
  });

  it("opens subtask 2 with a brief that holds subtask 1's result and not the session history", () => {
    const world = approved([sub('a'), sub('b', 'coder', [0])]);
    const r = complete(world, 'RESULT-ONE');
    const secondId = world.plan().subtasks[1]?.id;
    const brief = textOf(r, (m) => m.subtaskId === secondId && m.body.role === 'user');
    expect(brief).toContain('Plan goal: Build it');
    expect(brief).toContain('Your subtask: b\\ndo b');
    expect(brief).toContain('- [0] a (coder): RESULT-ONE');
    expect(brief).not.toContain('original request');
  });

  it('completes a subtask answered in plain text and starts the next in the same transition', () => {
    const world = approved([sub('a'), sub('b')]);
    const r = step(world, 'It is done.');
    const [a, b] = world.plan().subtasks;
    expect([a?.status, a?.result, b?.status]).toEqual(['completed', 'It is done.', 'running']);
    expect(kinds(r)).toEqual(['plan_advanced']);
    expect(data(r.events, 'subtask.status').map((e) => [e.subtaskId, e.status])).toEqual([
      [a?.id, 'completed'],
      [b?.id, 'running'],
    ]);
    expect(r.effects).toEqual([expect.objectContaining({ type: 'run_model_step' })]);
  });

  it('completes after its last subtask, and the orchestrator gives the summary', () => {
    const world = approved([sub('a')]);
    const r = complete(world, 'All built');
    expect(kinds(r)).toEqual(['plan_completed']);
    expect(data(r.events, 'plan.status')).toEqual([
      { planId: world.plan().id, status: 'completed' },
    ]);
    expect(r.state.session.activePlanId).toBeNull();
    const report = textOf(r, (m) => m.subtaskId === null && m.body.role === 'user');
    expect(report).toContain('- [0] a (coder): All built');
    expect(r.effects).toEqual([
      expect.objectContaining({ owner: { kind: 'session' }, agent: 'orchestrator' }),
    ]);
    expect(step(world, 'Summary.').state.session.run).toEqual({ status: 'idle' });
  });
});

describe('a plan decision', () => {
  it('reject ends the run with the plan rejected, and the session stays usable', () => {
    const { world } = proposed([sub('a')]);
    const r = world.apply(decidePlan(world.plan().id, 'reject', 'too big'));
    expect(kinds(r)).toEqual(['approval_rejected']);
    expect(world.plan().status).toBe('rejected');
    expect(r.state.session).toMatchObject({ run: { status: 'idle' }, activePlanId: null });
    expect(r.effects).toEqual([]);
    expect(world.apply({ type: 'user_message', text: 'smaller' }).outcome).toEqual({ ok: true });
  });

  it('revise supersedes the plan and the orchestrator plans again, linking the new plan', () => {
    const { world } = proposed([sub('a')]);
    const oldId = world.plan().id;
    const r = world.apply(decidePlan(oldId, 'revise', 'add tests'));
    expect(kinds(r)).toEqual(['approval_rejected']);
    expect(r.state.plans[oldId]?.status).toBe('superseded');
    expect(r.state.session.activePlanId).toBeNull();
    expect(textOf(r, (m) => m.body.role === 'tool')).toContain('add tests');
    expect(r.effects).toEqual([
      expect.objectContaining({ owner: { kind: 'session' }, agent: 'orchestrator' }),
    ]);
    const subtasks = [sub('a'), sub('test a')];
    step(world, '', [{ name: 'create_plan', arguments: { goal: 'Build, tested', subtasks } }]);
    expect(world.plan()).toMatchObject({ status: 'awaiting_approval', supersedesPlanId: oldId });
    expect(world.plan().id).not.toBe(oldId);
  });

  it('repeated is a duplicate; a different one is a CONFLICT', () => {
    const { world } = proposed([sub('a')]);
    const planId = world.plan().id;
    world.apply(decidePlan(planId, 'approve'));
    const before = world.state;
    const again = world.apply(decidePlan(planId, 'approve'));
    expect(again.outcome).toEqual({ ok: true, duplicate: true });
    expect(kinds(again)).toEqual(['duplicate_ignored']);
    expect(again.state).toEqual(before);
    const other = expectRefused(world, decidePlan(planId, 'reject'), 'CONFLICT');
    expect(kinds(other)).toEqual(['conflict_rejected']);
  });
});

describe('cancel_plan', () => {
  it('cancels the running subtask, its open calls and approvals; a later result is late', () => {
    const world = approved([sub('a'), sub('b')]);
    step(world, '', [read('x'), { name: 'write_file', arguments: { path: 'y', content: '' } }]);
    const r = world.apply(cancel(world.plan().id));
    expect(kinds(r)).toEqual(['plan_cancelled']);
    expect(world.plan().status).toBe('cancelled');
    expect(statuses(world)).toEqual(['cancelled', 'cancelled']);
    expect(world.calls().map((c) => c.status)).toEqual(['resolved', 'cancelled', 'cancelled']);
    expect(Object.values(r.state.approvals).map((a) => [a.kind, a.status])).toEqual([
      ['plan', 'approved'],
      ['tool', 'cancelled'],
    ]);
    expect(r.state.session).toMatchObject({ run: { status: 'idle' }, activePlanId: null });
    const before = world.state;
    const late = submit(world, world.calls()[1]?.id);
    expect(kinds(late)).toEqual(['late_result_recorded']);
    expect(late.state).toEqual(before);
    expect(late.effects).toEqual([]);
  });

  it('aborts the model step of the running subtask', () => {
    const world = approved([sub('a')]);
    const { stepId } = world.pendingStep();
    const r = world.apply(cancel(world.plan().id));
    expect(r.effects).toEqual([{ type: 'abort_model_step', stepId, reason: 'stop' }]);
  });

  it('of a plan awaiting its decision ends the run', () => {
    const { world } = proposed([sub('a')]);
    const r = world.apply(cancel(world.plan().id));
    expect(world.plan().status).toBe('cancelled');
    expect(r.state.session).toMatchObject({ run: { status: 'idle' }, activePlanId: null });
  });

  it('is a no-op for a plan already cancelled', () => {
    const world = approved([sub('a')]);
    world.apply(cancel(world.plan().id));
    const before = world.state;
    const r = world.apply(cancel(world.plan().id));
    expect(r.outcome).toEqual({ ok: true, duplicate: true });
    expect(r.state).toEqual(before);
    expect(r.decisions).toEqual([]);
  });

  it('is refused with CONFLICT for a completed plan and NOT_FOUND for an unknown one', () => {
    const world = approved([sub('a')]);
    complete(world, 'done');
    expectRefused(world, cancel(world.plan().id), 'CONFLICT');
    expectRefused(world, cancel('plan-404'), 'NOT_FOUND');
  });
});

describe('retry_subtask', () => {
  it('puts a failed subtask back and resumes its plan', () => {
    const world = approved([sub('a'), sub('b', 'coder', [0])]);
    const { stepId, fence } = world.pendingStep();
    world.apply({ type: 'model_step_failed', stepId, fence, error: 'boom' });
    const plan = world.plan();
    const r = world.apply(retry(plan.id, plan.subtasks[0]?.id));
    expect(kinds(r)).toEqual(['plan_advanced']);
    expect(world.plan().status).toBe('in_progress');
    expect(world.plan().subtasks[0]).toMatchObject({ status: 'running', error: null, steps: 1 });
    expect(r.state.session.activePlanId).toBe(plan.id);
    expect(r.effects).toEqual([
      expect.objectContaining({ type: 'run_model_step', agent: 'coder' }),
    ]);
    complete(world, 'A');
    complete(world, 'B');
    expect(world.plan().status).toBe('completed');
  });

  it('is refused with CONFLICT when the subtask has not failed, NOT_FOUND when unknown', () => {
    const world = approved([sub('a'), sub('b')]);
    const plan = world.plan();
    const r = expectRefused(world, retry(plan.id, plan.subtasks[1]?.id), 'CONFLICT');
    expect(r.decisions).toEqual([]);
    expectRefused(world, retry(plan.id, 'subtask-404'), 'NOT_FOUND');
    expectRefused(world, retry('plan-404', plan.subtasks[0]?.id), 'NOT_FOUND');
  });
});
