import type { Draft } from './draft';
import { refuse } from './draft';
import { cancelPlan, startStep } from './coordinator';
import { cancelOpenWork } from './flow';
import type { SessionInput } from './inputs';
import type { TransitionResult } from './outcome';
import { SESSION_OWNER } from './records';
import type { RunState } from './records';

/** What a busy session is waiting for, in words for a `CONFLICT` message. */
export function describeBusy(run: RunState): string {
  switch (run.status) {
    case 'idle':
      return 'nothing';
    case 'model_step':
      return `a model step of the ${run.agent} agent is in flight`;
    case 'awaiting_approval':
      return 'a tool call awaits approval';
    case 'awaiting_tools':
      return 'tool results are outstanding';
    case 'awaiting_plan_decision':
      return `plan ${run.planId} awaits a decision`;
  }
}

/** A user message starts a run with the session's agent (or the one named, an explicit switch). */
export function onUserMessage(
  d: Draft,
  input: Extract<SessionInput, { type: 'user_message' }>,
): TransitionResult {
  const run = d.session.run;
  if (run.status !== 'idle') {
    const planNote = d.session.activePlanId ? ` (plan ${d.session.activePlanId} is active)` : '';
    return refuse(
      d,
      'CONFLICT',
      `The session is busy: ${describeBusy(run)}${planNote}. Wait for it, or cancel the run with sessions.cancel.`,
    );
  }
  if (input.agent !== undefined && input.agent !== d.session.agent) {
    d.emit('agent.switched', {
      from: d.session.agent,
      to: input.agent,
      reason: 'requested with the message',
    });
    d.updateSession({ agent: input.agent });
  }
  const runId = d.id('run');
  const message = d.append(SESSION_OWNER, { role: 'user', text: input.text }, { runId });
  d.emit('message.user', { messageId: message.id, text: input.text });
  d.updateSession({ runSteps: 0 });
  startStep(d, runId, SESSION_OWNER, 'user message');
  return d.finish();
}

/** Ends the current run and cancels whatever it waits on, including the active plan. */
export function onCancelRun(
  d: Draft,
  input: Extract<SessionInput, { type: 'cancel_run' }>,
): TransitionResult {
  if (d.session.run.status === 'idle') return d.finish({ ok: true, duplicate: true });
  const plan = d.session.activePlanId ? d.plans[d.session.activePlanId] : undefined;
  if (plan) {
    cancelPlan(d, plan, input.reason);
    d.decide(
      'plan_cancelled',
      { type: input.type, reason: input.reason },
      `run cancelled by ${input.by}: ${input.reason}`,
      { planId: plan.id },
    );
  }
  cancelOpenWork(d, input.reason);
  return d.finish();
}

/** A lease ran out while its step was in flight: the step is run again under a new fence. */
export function onLeaseExpired(
  d: Draft,
  input: Extract<SessionInput, { type: 'lease_expired' }>,
): TransitionResult {
  const run = d.session.run;
  if (run.status !== 'model_step' || run.stepId !== input.stepId || run.fence !== input.fence) {
    return refuse(
      d,
      'CONFLICT',
      `Step ${input.stepId} at fence ${input.fence} is not in flight; nothing to recover.`,
    );
  }
  const fence = run.fence + 1;
  d.updateSession({ run: { ...run, fence } });
  d.decide(
    'lease_recovered',
    { type: input.type, stepId: input.stepId, fence: input.fence },
    `lease of step ${run.stepId} expired at fence ${run.fence}; re-running it at fence ${fence}`,
    {
      agent: run.agent,
      ...(run.owner.kind === 'subtask'
        ? { planId: run.owner.planId, subtaskId: run.owner.subtaskId }
        : {}),
    },
  );
  d.effect({
    type: 'run_model_step',
    runId: run.runId,
    stepId: run.stepId,
    fence,
    owner: run.owner,
    agent: run.agent,
  });
  return d.finish();
}
