import type { AgentName } from './agents';
import type { Draft } from './draft';
import {
  appendToolMessages,
  cancelOpenWork,
  endRun,
  failRun,
  findSubtask,
  isOpen,
  stepCalls,
  stepRef,
  subtaskOwner,
} from './flow';
import { isPlanDone, nextRunnableSubtask } from './plan';
import type { Owner, Plan, RunState, Subtask } from './records';
import { SESSION_OWNER } from './records';
import { buildSubtaskContext, renderSubtaskBrief } from './subtask-context';

/**
 * Starting steps and the plan coordinator: a step starts only through {@link startStep}, a tool
 * result continues anything only through {@link settleStep}, and a completed subtask starts the
 * next one in the same transition ({@link completeSubtask}).
 */

/**
 * Starts the next model step of `owner` in run `runId`, unless the owner has used up its steps:
 * then a subtask fails (and with it the plan) and a session run ends with an error.
 */
export function startStep(d: Draft, runId: string, owner: Owner, reason: string): void {
  let agent: AgentName;
  if (owner.kind === 'session') {
    if (d.session.runSteps >= d.ctx.config.maxRunSteps) {
      failRun(d, runId, `The run reached its limit of ${d.ctx.config.maxRunSteps} steps.`);
      return;
    }
    d.updateSession({ runSteps: d.session.runSteps + 1 });
    agent = d.session.agent;
  } else {
    const subtask = findSubtask(d, owner);
    if (!subtask) throw new Error(`subtask ${owner.subtaskId} is not in the working set`);
    if (subtask.steps >= d.ctx.config.maxSubtaskSteps) {
      failSubtask(d, subtask, `exceeded the limit of ${d.ctx.config.maxSubtaskSteps} steps`);
      return;
    }
    d.putSubtask({ ...subtask, steps: subtask.steps + 1 });
    agent = subtask.agent;
  }
  const run: RunState = {
    status: 'model_step',
    runId,
    stepId: d.id('step'),
    owner,
    agent,
    fence: 1,
  };
  d.setRun(run, reason);
  d.effect({ type: 'run_model_step', runId, stepId: run.stepId, fence: 1, owner, agent });
}

/**
 * The current step has no open call left: its results go to the owner's context in call order
 * and the owner takes its next step. This is the only way a tool result continues anything.
 */
export function closeStepAndContinue(d: Draft, reason: string): void {
  const run = d.session.run;
  if (run.status === 'idle') throw new Error('closeStepAndContinue on an idle run');
  appendToolMessages(d, stepCalls(d, run.stepId));
  startStep(d, run.runId, run.owner, reason);
}

/** After a call of the current step settled: continue if it was the last, else say what is awaited. */
export function settleStep(d: Draft, reason: string): 'continued' | 'waiting' {
  const run = d.session.run;
  if (run.status === 'idle' || run.status === 'model_step') {
    throw new Error(`settleStep in run state ${run.status}`);
  }
  const open = stepCalls(d, run.stepId).filter(isOpen);
  if (open.length === 0) {
    closeStepAndContinue(d, reason);
    return 'continued';
  }
  if (run.status === 'awaiting_plan_decision') return 'waiting';
  const step = stepRef(run);
  const waitingForHuman = open.some((call) => call.status === 'awaiting_approval');
  d.setRun(
    waitingForHuman
      ? { ...step, status: 'awaiting_approval' }
      : { ...step, status: 'awaiting_tools' },
    waitingForHuman ? 'waiting for approval' : 'waiting for tool results',
  );
  return 'waiting';
}

function emitSubtask(d: Draft, subtask: Subtask): void {
  d.emit('subtask.status', {
    planId: subtask.planId,
    subtaskId: subtask.id,
    status: subtask.status,
    agent: subtask.agent,
    ...(subtask.result !== null ? { result: subtask.result } : {}),
    ...(subtask.error !== null ? { error: subtask.error } : {}),
  });
}

/** Sets a plan's status and emits `plan.status`. */
export function setPlanStatus(d: Draft, plan: Plan, status: Plan['status']): Plan {
  const updated: Plan = { ...plan, status };
  d.putPlan(updated);
  d.emit('plan.status', { planId: plan.id, status });
  return d.plans[plan.id] as Plan;
}

/** Starts `subtask`: it runs, its brief opens its own context, and its agent takes a step. */
export function startSubtask(d: Draft, runId: string, subtask: Subtask): void {
  const running: Subtask = { ...subtask, status: 'running' };
  const plan = d.putSubtask(running);
  emitSubtask(d, running);
  const brief = renderSubtaskBrief(buildSubtaskContext(plan, running));
  d.append(subtaskOwner(running), { role: 'user', text: brief }, { runId, agent: running.agent });
  startStep(d, runId, subtaskOwner(running), `subtask ${running.index} started`);
}

/**
 * A subtask finished with `result`. In the same transition the coordinator starts the next
 * runnable subtask, or completes the plan: a plan never stalls between subtasks.
 */
export function completeSubtask(d: Draft, runId: string, subtask: Subtask, result: string): void {
  const done: Subtask = { ...subtask, status: 'completed', result };
  const plan = d.putSubtask(done);
  emitSubtask(d, done);
  const next = nextRunnableSubtask(plan);
  const about = { planId: plan.id, subtaskId: subtask.id, agent: subtask.agent };
  if (next) {
    d.decide(
      'plan_advanced',
      { type: 'subtask_completed', subtaskId: subtask.id },
      `subtask ${subtask.index} completed; subtask ${next.index} (${next.agent}) starts`,
      about,
    );
    startSubtask(d, runId, next);
  } else if (isPlanDone(plan)) {
    completePlan(d, runId, plan, about);
  } else {
    failPlan(d, plan, 'no pending subtask has all its dependencies completed', about);
  }
}

function completePlan(
  d: Draft,
  runId: string,
  plan: Plan,
  about: { planId: string; subtaskId: string; agent: AgentName },
): void {
  setPlanStatus(d, plan, 'completed');
  d.updateSession({ activePlanId: null });
  d.decide(
    'plan_completed',
    { type: 'subtask_completed', subtaskId: about.subtaskId },
    `all ${plan.subtasks.length} subtasks completed`,
    about,
  );
  const report = [
    `[Plan report] The plan "${plan.goal}" is completed. Results:`,
    ...plan.subtasks.map((s) => `- [${s.index}] ${s.title} (${s.agent}): ${s.result ?? ''}`),
    'Give the user a short summary.',
  ].join('\n');
  d.append(SESSION_OWNER, { role: 'user', text: report }, { runId });
  startStep(d, runId, SESSION_OWNER, 'plan completed; summary');
}

function failPlan(
  d: Draft,
  plan: Plan,
  why: string,
  about: { planId: string; subtaskId: string; agent: AgentName },
): void {
  setPlanStatus(d, plan, 'failed');
  d.updateSession({ activePlanId: null });
  d.decide('plan_failed', { type: 'subtask_failed', subtaskId: about.subtaskId }, why, about);
  endRun(d, `plan failed: ${why}`);
}

/** A subtask failed: so does its plan; the session is idle and the subtask can be retried. */
export function failSubtask(d: Draft, subtask: Subtask, error: string): void {
  const failed: Subtask = { ...subtask, status: 'failed', error };
  const plan = d.putSubtask(failed);
  emitSubtask(d, failed);
  failPlan(d, plan, `subtask ${subtask.index} failed: ${error}`, {
    planId: plan.id,
    subtaskId: subtask.id,
    agent: subtask.agent,
  });
}

/** Cancels a plan, its running and pending subtasks, and the run if it works for this plan. */
export function cancelPlan(d: Draft, plan: Plan, reason: string): void {
  const run = d.session.run;
  const runIsThisPlan =
    (run.status === 'awaiting_plan_decision' && run.planId === plan.id) ||
    (run.status !== 'idle' && run.owner.kind === 'subtask' && run.owner.planId === plan.id);
  if (runIsThisPlan) cancelOpenWork(d, reason);
  for (const subtask of plan.subtasks) {
    if (subtask.status === 'running' || subtask.status === 'pending') {
      const cancelled: Subtask = { ...subtask, status: 'cancelled' };
      d.putSubtask(cancelled);
      emitSubtask(d, cancelled);
    }
  }
  setPlanStatus(d, d.plans[plan.id] as Plan, 'cancelled');
  if (d.session.activePlanId === plan.id) d.updateSession({ activePlanId: null });
}
