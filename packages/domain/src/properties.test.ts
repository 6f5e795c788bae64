import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isClientTool, validateToolArguments } from './tools';
import { checkPermission } from './agents';
import { needsApproval } from './policy';
import { defaultDomainConfig, sequentialIds } from './context';
import type { DomainConfig } from './context';
import type { SessionInput } from './inputs';
import type { TransitionResult } from './outcome';
import type { DecisionKind } from './status';
import type { SessionState } from './state';
import { transition } from './transition';
import type { Action } from './testing/actions';
import { sessionArb, toInput } from './testing/actions';
import { sliceWorkingSet } from './testing/working-set';
import type { World } from './testing/world';
import { createWorld } from './testing/world';

/**
 * The execution invariants of SPEC (issue #2, "Proof"), checked after every input of randomly
 * generated sessions: plans, parallel calls, results in any order, duplicates and conflicts,
 * late results, approvals (approve, reject, edit, expire; repeated and conflicting), plan
 * reject and revise, retries, lease expiry and model failures. fast-check runs each property
 * FC_NUM_RUNS times (default 1000); a failure prints the seed and the shrunk action list.
 */

/** One applied input, with the states around it. */
interface Step {
  readonly before: SessionState;
  readonly input: SessionInput;
  readonly result: TransitionResult;
  readonly world: World;
  readonly config: DomainConfig;
}

type Check = (step: Step) => void;

/** Plays a generated session and runs `check` after every input. */
function play(config: Partial<DomainConfig>, actions: readonly Action[], check: Check): void {
  const world = createWorld(config);
  const fullConfig = { ...defaultDomainConfig, ...config };
  for (const action of actions) {
    const input = toInput(world, action);
    if (!input) continue;
    const before = world.state;
    const result = world.apply(input);
    check({ before, input, result, world, config: fullConfig });
  }
}

function property(check: Check): void {
  fc.assert(fc.property(sessionArb, ({ config, actions }) => play(config, actions, check)));
}

const CONTINUATIONS: readonly DecisionKind[] = ['continue_agent', 'resume_subtask'];
const COORDINATOR: readonly DecisionKind[] = [
  'plan_advanced',
  'plan_completed',
  'plan_failed',
  'plan_cancelled',
];

/** Whether a transition changed nothing at all: same records, by identity. */
function unchanged(before: SessionState, after: SessionState): boolean {
  const same = <T>(a: Readonly<Record<string, T>>, b: Readonly<Record<string, T>>): boolean =>
    Object.keys(a).length === Object.keys(b).length &&
    Object.keys(a).every((id) => a[id] === b[id]);
  return (
    before.session === after.session &&
    same(before.plans, after.plans) &&
    same(before.calls, after.calls) &&
    same(before.approvals, after.approvals)
  );
}

function modelSteps(result: TransitionResult) {
  return result.effects.filter((effect) => effect.type === 'run_model_step');
}

describe('execution invariants over random sessions', () => {
  it('1. a tool call is resolved at most once; duplicates and conflicting payloads change nothing', () => {
    property(({ before, input, result }) => {
      for (const call of Object.values(before.calls)) {
        if (call.status === 'resolved' || call.status === 'cancelled') {
          expect(result.state.calls[call.id]).toBe(call);
        }
      }
      const kinds = result.decisions.map((d) => d.kind);
      if (
        input.type === 'tool_result' &&
        (kinds.includes('duplicate_ignored') ||
          kinds.includes('conflict_rejected') ||
          kinds.includes('late_result_recorded') ||
          kinds.includes('unknown_call_rejected'))
      ) {
        expect(unchanged(before, result.state)).toBe(true);
        expect(result.messages).toEqual([]);
        expect(result.effects).toEqual([]);
      }
      if (kinds.includes('duplicate_ignored') && input.type === 'tool_result') {
        const original = before.calls[input.callId]?.resolution;
        expect(result.outcome).toEqual({ ok: true, decision: original, duplicate: true });
      }
    });
  });

  it('2. an accepted result continues its owner exactly once, and only when its step has no open call', () => {
    property(({ input, result, world }) => {
      expect(modelSteps(result).length).toBeLessThanOrEqual(1);
      if (input.type !== 'tool_result') return;
      const kind = result.decisions[0]?.kind;
      const call = result.state.calls[input.callId];
      const steps = modelSteps(result);
      if (kind && CONTINUATIONS.includes(kind) && call) {
        const siblings = Object.values(result.state.calls).filter((c) => c.stepId === call.stepId);
        expect(siblings.every((c) => c.status === 'resolved' || c.status === 'cancelled')).toBe(
          true,
        );
        const limitHit =
          result.decisions.some((d) => d.kind === 'plan_failed') ||
          result.events.some((e) => e.type === 'error');
        if (!limitHit) {
          expect(steps).toHaveLength(1);
          expect(steps[0]?.owner).toEqual(call.owner);
          expect(kind).toBe(call.owner.kind === 'subtask' ? 'resume_subtask' : 'continue_agent');
          // The owner sees every result of its step, in call order, before its next step.
          const toolMessages = result.messages
            .filter((m) => m.body.role === 'tool')
            .map((m) => (m.body.role === 'tool' ? m.body.callId : ''));
          expect(toolMessages).toEqual(siblings.sort((a, b) => a.index - b.index).map((c) => c.id));
        }
      } else {
        expect(steps).toHaveLength(0);
      }
      if (kind === 'wait_for_siblings' && call) {
        expect(
          Object.values(result.state.calls).some(
            (c) =>
              c.stepId === call.stepId &&
              (c.status === 'dispatched' || c.status === 'awaiting_approval'),
          ),
        ).toBe(true);
      }
      void world;
    });
  });

  it('3. a plan has at most one running subtask and a session at most one active plan', () => {
    property(({ result }) => {
      const plans = Object.values(result.state.plans);
      const active = plans.filter(
        (p) => p.status === 'awaiting_approval' || p.status === 'in_progress',
      );
      expect(active.length).toBeLessThanOrEqual(1);
      expect(result.state.session.activePlanId).toBe(active[0]?.id ?? null);
      for (const plan of plans) {
        const running = plan.subtasks.filter((s) => s.status === 'running');
        expect(running.length).toBeLessThanOrEqual(plan.status === 'in_progress' ? 1 : 0);
      }
      const run = result.state.session.run;
      if (active[0]?.status === 'in_progress') {
        // An executing plan is always being worked on by its running subtask: it never stalls.
        expect(run.status).not.toBe('idle');
        if (run.status !== 'idle') {
          expect(run.owner.kind).toBe('subtask');
          const running = active[0].subtasks.find((s) => s.status === 'running');
          expect(run.owner).toEqual({
            kind: 'subtask',
            planId: active[0].id,
            subtaskId: running?.id,
          });
        }
      }
    });
  });

  it("4. the session's agent changes only by switch_agent or an explicit request, never by a tool result", () => {
    property(({ before, input, result }) => {
      const from = before.session.agent;
      const to = result.state.session.agent;
      if (from === to) return;
      const switched = result.events.filter((e) => e.type === 'agent.switched');
      expect(switched).toHaveLength(1);
      if (input.type === 'user_message') {
        expect(input.agent).toBe(to);
      } else {
        expect(input.type).toBe('model_step_completed');
        expect(before.session.run.status === 'model_step' && before.session.run.owner.kind).toBe(
          'session',
        );
        if (input.type === 'model_step_completed') {
          expect(input.toolCalls.some((c) => c.name === 'switch_agent')).toBe(true);
        }
      }
    });
  });

  it('5. a gated call is never dispatched before approval, a rejected one never', () => {
    property(({ result, config }) => {
      for (const call of Object.values(result.state.calls)) {
        const approval = call.approvalId ? result.state.approvals[call.approvalId] : undefined;
        const gated =
          isClientTool(call.name) &&
          checkPermission(call.agent, call.name, call.arguments) === null &&
          validateToolArguments(call.name, call.arguments).ok &&
          needsApproval(config.approvalPolicy, call.agent, call.name);
        if (gated) expect(approval?.kind).toBe('tool');
        if (approval?.kind !== 'tool') continue;
        if (call.dispatchedAt !== null) {
          expect(['approved', 'edited']).toContain(approval.status);
          expect(call.dispatchedArguments).toEqual(
            approval.status === 'edited' ? approval.editedArguments : call.arguments,
          );
        } else {
          expect(['pending', 'rejected', 'expired', 'cancelled']).toContain(approval.status);
        }
      }
      for (const event of result.events) {
        if (event.type !== 'tool_call.dispatched') continue;
        const call = result.state.calls[event.data.callId];
        const approval = call?.approvalId ? result.state.approvals[call.approvalId] : undefined;
        if (approval) expect(['approved', 'edited']).toContain(approval.status);
      }
    });
  });

  it('6. every non-terminal state has a way out, and a cancelled plan accepts no continuation', () => {
    property(({ result, world }) => {
      const state = result.state;
      const run = state.session.run;
      const open = Object.values(state.calls).filter(
        (c) => c.status === 'dispatched' || c.status === 'awaiting_approval',
      );
      // Open work belongs to the current step only; an idle session waits on nothing.
      for (const call of open)
        expect(run.status !== 'idle' && call.stepId === run.stepId).toBe(true);
      const pending = Object.values(state.approvals).filter((a) => a.status === 'pending');
      if (run.status === 'idle') expect(pending).toEqual([]);
      if (run.status === 'awaiting_tools') {
        expect(open.length).toBeGreaterThan(0);
        expect(open.every((c) => c.status === 'dispatched')).toBe(true);
      }
      if (run.status === 'awaiting_approval')
        expect(open.some((c) => c.status === 'awaiting_approval')).toBe(true);
      // From any state, cancelling the run leads to an idle, usable session.
      if (run.status !== 'idle') {
        const cancelled = transition(
          state,
          { type: 'cancel_run', reason: 'probe', by: 'probe' },
          { ...world.ctx(), newId: sequentialIds('probe-') },
        );
        expect(cancelled.state.session.run.status).toBe('idle');
        expect(cancelled.state.session.activePlanId).toBeNull();
        const next = transition(
          cancelled.state,
          { type: 'user_message', text: 'again' },
          { ...world.ctx(), newId: sequentialIds('probe2-') },
        );
        expect(next.outcome.ok).toBe(true);
      }
      for (const effect of modelSteps(result)) {
        if (effect.owner.kind !== 'subtask') continue;
        const plan = state.plans[effect.owner.planId];
        expect(plan?.status).toBe('in_progress');
        expect(
          plan?.subtasks.find(
            (s) => s.id === (effect.owner.kind === 'subtask' ? effect.owner.subtaskId : ''),
          )?.status,
        ).toBe('running');
      }
    });
  });

  it('7. every input of SPEC §6 yields exactly one decision record', () => {
    property(({ before, input, result }) => {
      const own = result.decisions.filter((d) => !COORDINATOR.includes(d.kind));
      const kinds = own.map((d) => d.kind);
      const ok = result.outcome.ok;
      switch (input.type) {
        case 'tool_result':
          expect(result.decisions[0]).toBeDefined();
          expect(kinds).toHaveLength(1);
          break;
        case 'approval_decision':
        case 'plan_decision': {
          const refusedQuietly =
            !ok && (result.outcome.code === 'NOT_FOUND' || result.outcome.code === 'BAD_REQUEST');
          expect(kinds).toHaveLength(refusedQuietly ? 0 : 1);
          break;
        }
        case 'approval_expired':
          expect(kinds).toEqual(ok ? ['approval_expired'] : []);
          break;
        case 'lease_expired':
          expect(kinds).toEqual(ok ? ['lease_recovered'] : []);
          break;
        case 'model_step_completed':
        case 'model_step_failed':
          expect(kinds).toEqual(ok ? [] : ['stale_worker_fenced']);
          break;
        case 'cancel_plan': {
          const cancelledNow = ok && !(result.outcome.ok && result.outcome.duplicate);
          expect(result.decisions.filter((d) => d.kind === 'plan_cancelled')).toHaveLength(
            cancelledNow ? 1 : 0,
          );
          break;
        }
        case 'retry_subtask':
          expect(result.decisions.filter((d) => d.kind === 'plan_advanced')).toHaveLength(
            ok ? 1 : 0,
          );
          break;
        case 'user_message':
        case 'cancel_run':
          expect(kinds).toEqual([]);
          break;
      }
      // Every decision is also an event; a refused input leaves no other trace.
      expect(result.events.filter((e) => e.type === 'decision').map((e) => e.data)).toEqual(
        result.decisions,
      );
      if (!ok) {
        expect(result.events.every((e) => e.type === 'decision')).toBe(true);
        expect(result.messages).toEqual([]);
        expect(result.effects).toEqual([]);
        if (input.type !== 'approval_decision') expect(unchanged(before, result.state)).toBe(true);
      }
    });
  });

  it('the transition depends only on the working set the engine loads', () => {
    property(({ before, input, world }) => {
      const ctx = world.ctx();
      const onFull = transition(before, input, {
        ...ctx,
        now: world.now - 1000,
        newId: sequentialIds('w-'),
      });
      const onSlice = transition(sliceWorkingSet(before, input), input, {
        ...ctx,
        now: world.now - 1000,
        newId: sequentialIds('w-'),
      });
      expect(
        JSON.stringify([
          onSlice.messages,
          onSlice.effects,
          onSlice.decisions,
          onSlice.events,
          onSlice.outcome,
        ]),
      ).toBe(
        JSON.stringify([
          onFull.messages,
          onFull.effects,
          onFull.decisions,
          onFull.events,
          onFull.outcome,
        ]),
      );
      expect(onSlice.state.session).toEqual(onFull.state.session);
      for (const [id, call] of Object.entries(onSlice.state.calls))
        expect(call).toEqual(onFull.state.calls[id]);
      for (const [id, plan] of Object.entries(onSlice.state.plans))
        expect(plan).toEqual(onFull.state.plans[id]);
      for (const [id, approval] of Object.entries(onSlice.state.approvals))
        expect(approval).toEqual(onFull.state.approvals[id]);
    });
  });

  it('run.state events form one unbroken path, and no step is started twice', () => {
    property(({ before, result }) => {
      let status = before.session.run.status;
      for (const event of result.events) {
        if (event.type !== 'run.state') continue;
        expect(event.data.from).toBe(status);
        status = event.data.to;
      }
      expect(status).toBe(result.state.session.run.status);
      const run = result.state.session.run;
      const steps = modelSteps(result);
      if (run.status === 'model_step') {
        const previous = before.session.run;
        const same =
          previous.status === 'model_step' &&
          previous.stepId === run.stepId &&
          previous.fence === run.fence;
        expect(steps.length).toBe(same ? 0 : 1);
        if (!same) expect(steps[0]).toMatchObject({ stepId: run.stepId, fence: run.fence });
      } else {
        expect(steps).toHaveLength(0);
      }
    });
  });
});
