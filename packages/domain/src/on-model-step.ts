import type { Draft } from './draft';
import { refuse } from './draft';
import { completeSubtask, failSubtask, settleStep, startSubtask } from './coordinator';
import { appendToolMessages, endRun, failRun, findSubtask, stepCalls, stepRef } from './flow';
import type { SessionInput } from './inputs';
import type { TransitionResult } from './outcome';
import { nextRunnableSubtask } from './plan';
import type { BusyRunState, Plan, Subtask } from './records';
import type { StepEnding } from './step-calls';
import { admitStepCalls } from './step-calls';

type StepInput = Extract<SessionInput, { type: 'model_step_completed' | 'model_step_failed' }>;

/**
 * The step in flight, if `input` comes from its current lease holder; otherwise the input is a
 * late write from a worker that lost its lease (or from a step that was cancelled) and is fenced.
 */
function currentStep(
  d: Draft,
  input: StepInput,
): Extract<BusyRunState, { status: 'model_step' }> | null {
  const run = d.session.run;
  if (run.status === 'model_step' && run.stepId === input.stepId && run.fence === input.fence) {
    return run;
  }
  d.decide(
    'stale_worker_fenced',
    { type: input.type, stepId: input.stepId, fence: input.fence },
    run.status === 'model_step' && run.stepId === input.stepId
      ? `fence ${input.fence} is stale; the step's lease is at fence ${run.fence}`
      : `step ${input.stepId} is no longer in flight (run is ${run.status})`,
  );
  return null;
}

/** A model step finished: record its message and calls, then carry out what they ask. */
export function onModelStepCompleted(
  d: Draft,
  input: Extract<SessionInput, { type: 'model_step_completed' }>,
): TransitionResult {
  const step = currentStep(d, input);
  if (!step) return refuse(d, 'CONFLICT', 'This model step no longer holds the session.');
  const requested = input.toolCalls.map((call) => ({ callId: d.id('call'), call }));
  const message = d.append(
    step.owner,
    {
      role: 'assistant',
      text: input.text,
      toolCalls: requested.map(({ callId, call }) => ({
        callId,
        name: call.name,
        arguments: call.arguments,
      })),
    },
    { runId: step.runId, stepId: step.stepId, agent: step.agent },
  );
  d.emit('message.assistant', {
    messageId: message.id,
    stepId: step.stepId,
    agent: step.agent,
    text: input.text,
    ...(step.owner.kind === 'subtask'
      ? { planId: step.owner.planId, subtaskId: step.owner.subtaskId }
      : {}),
  });
  if (requested.length === 0) {
    finishWithoutTools(d, step, input.text);
    return d.finish();
  }
  // The step now waits on its calls; admitting them may resolve some or all at once.
  d.setRun({ ...stepRef(step), status: 'awaiting_tools' }, 'step made tool calls');
  const ending = admitStepCalls(d, step, requested);
  applyEnding(d, step, ending);
  return d.finish();
}

/** A step that calls no tool ends the run (session loop) or is its subtask's result. */
function finishWithoutTools(d: Draft, step: BusyRunState, text: string): void {
  const subtask = findSubtask(d, step.owner);
  if (subtask) completeSubtask(d, step.runId, subtask, text);
  else endRun(d, 'answered');
}

function applyEnding(d: Draft, step: BusyRunState, ending: StepEnding): void {
  switch (ending.kind) {
    case 'continue':
      settleStep(d, 'all calls answered');
      return;
    case 'complete': {
      appendToolMessages(d, stepCalls(d, step.stepId));
      const subtask = findSubtask(d, step.owner);
      if (subtask) completeSubtask(d, step.runId, subtask, ending.result);
      else endRun(d, 'completed');
      return;
    }
    case 'question':
      appendToolMessages(d, stepCalls(d, step.stepId));
      endRun(d, 'asked the user a question');
      return;
    case 'plan':
      createPlan(d, step, ending);
      return;
  }
}

/** Creates the plan a `create_plan` call asked for; it waits for approval unless approval is `auto`. */
function createPlan(
  d: Draft,
  step: BusyRunState,
  ending: Extract<StepEnding, { kind: 'plan' }>,
): void {
  const planId = d.id('plan');
  const subtasks: Subtask[] = ending.subtasks.map((planned, index) => ({
    id: d.id('subtask'),
    planId,
    index,
    title: planned.title,
    description: planned.description,
    agent: planned.agent,
    dependsOn: planned.dependsOn,
    status: 'pending',
    result: null,
    error: null,
    steps: 0,
  }));
  const auto = d.ctx.config.planApproval === 'auto';
  const approvalId = auto ? null : d.id('approval');
  const plan: Plan = {
    id: planId,
    sessionId: d.session.id,
    goal: ending.goal,
    status: auto ? 'in_progress' : 'awaiting_approval',
    callId: ending.call.id,
    approvalId,
    supersedesPlanId: d.session.revisingPlanId,
    subtasks,
    createdAt: d.at,
    updatedAt: d.at,
  };
  d.putPlan(plan);
  d.updateSession({ activePlanId: planId, revisingPlanId: null });
  d.emit('plan.created', {
    planId,
    goal: plan.goal,
    subtasks: subtasks.map((s) => ({
      subtaskId: s.id,
      title: s.title,
      agent: s.agent,
      dependsOn: [...s.dependsOn],
    })),
  });
  d.emit('plan.status', { planId, status: plan.status });
  if (approvalId === null) {
    d.putCall({
      ...ending.call,
      status: 'resolved',
      outcome: {
        type: 'result',
        value: 'Plan created and approved automatically; it is being carried out.',
      },
      resolvedBy: 'runtime',
      resolvedAt: d.at,
    });
    appendToolMessages(d, stepCalls(d, step.stepId));
    const first = nextRunnableSubtask(plan);
    if (!first) throw new Error('a validated plan always has a runnable subtask');
    startSubtask(d, step.runId, first);
    return;
  }
  d.putApproval({
    id: approvalId,
    sessionId: d.session.id,
    kind: 'plan',
    callId: ending.call.id,
    planId,
    status: 'pending',
    answer: null,
    feedback: null,
    editedArguments: null,
    decidedBy: null,
    requestedAt: d.at,
    expiresAt: null,
    decidedAt: null,
  });
  d.putCall({ ...ending.call, status: 'awaiting_approval', approvalId });
  d.emit('approval.requested', { approvalId, kind: 'plan', planId, callId: ending.call.id });
  d.setRun({ ...stepRef(step), status: 'awaiting_plan_decision', planId }, 'plan awaits approval');
}

/** A model step failed after its retries: its subtask (and plan) fails, or the run ends with an error. */
export function onModelStepFailed(
  d: Draft,
  input: Extract<SessionInput, { type: 'model_step_failed' }>,
): TransitionResult {
  const step = currentStep(d, input);
  if (!step) return refuse(d, 'CONFLICT', 'This model step no longer holds the session.');
  const subtask = findSubtask(d, step.owner);
  if (subtask) {
    d.emit('error', {
      message: `Model step failed: ${input.error}`,
      runId: step.runId,
      stepId: step.stepId,
    });
    failSubtask(d, subtask, `model error: ${input.error}`);
  } else {
    failRun(d, step.runId, `Model step failed: ${input.error}`);
  }
  return d.finish();
}
