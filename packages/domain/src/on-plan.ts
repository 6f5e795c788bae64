import type { Draft } from './draft';
import { refuse } from './draft';
import { cancelPlan, setPlanStatus, settleStep, startSubtask } from './coordinator';
import { appendToolMessages, endRun, resolveCall, stepCalls } from './flow';
import type { SessionInput } from './inputs';
import type { TransitionResult } from './outcome';
import { nextRunnableSubtask } from './plan';
import type { Approval, Plan } from './records';

type PlanDecisionInput = Extract<SessionInput, { type: 'plan_decision' }>;

const DECIDED_STATUS = {
  approve: 'in_progress',
  reject: 'rejected',
  revise: 'superseded',
} as const;

/**
 * A human decided a plan. Approve starts its first subtask; reject ends the run and leaves the
 * session usable; revise supersedes the plan and hands the feedback to the orchestrator, which
 * plans again. The first decision wins; repeating it is a no-op, a different one a conflict.
 */
export function onPlanDecision(d: Draft, input: PlanDecisionInput): TransitionResult {
  const plan = d.plans[input.planId];
  if (!plan) return refuse(d, 'NOT_FOUND', `No plan ${input.planId} in this session.`);
  const approval = plan.approvalId ? d.approvals[plan.approvalId] : undefined;
  const record = {
    type: input.type,
    planId: plan.id,
    decision: input.decision,
    feedback: input.feedback ?? null,
  };
  const about = { planId: plan.id, callId: plan.callId, agent: 'orchestrator' as const };
  if (plan.status !== 'awaiting_approval' || !approval || approval.status !== 'pending') {
    if (approval?.answer === input.decision) {
      d.decide(
        'duplicate_ignored',
        record,
        `plan ${plan.id} was already decided: ${input.decision}`,
        about,
      );
      return d.finish({ ok: true, duplicate: true });
    }
    d.decide(
      'conflict_rejected',
      record,
      `plan ${plan.id} is ${plan.status}; it awaits no decision`,
      about,
    );
    return refuse(d, 'CONFLICT', `Plan ${plan.id} is ${plan.status}; it awaits no decision.`);
  }
  const decided: Approval = {
    ...approval,
    status: input.decision === 'approve' ? 'approved' : 'rejected',
    answer: input.decision,
    feedback: input.feedback ?? null,
    decidedBy: input.by,
    decidedAt: d.at,
  };
  d.putApproval(decided);
  d.emit('approval.decided', {
    approvalId: decided.id,
    kind: 'plan',
    status: decided.status,
    planId: plan.id,
    callId: plan.callId,
    ...(decided.feedback ? { feedback: decided.feedback } : {}),
  });
  const updated = setPlanStatus(d, plan, DECIDED_STATUS[input.decision]);
  const call = d.calls[plan.callId];
  if (!call) throw new Error(`plan ${plan.id} without its create_plan call in the working set`);
  const feedback = input.feedback ? ` Feedback: ${input.feedback}` : '';
  const run = d.session.run;
  if (run.status !== 'awaiting_plan_decision')
    throw new Error(`plan awaits approval while run is ${run.status}`);
  switch (input.decision) {
    case 'approve': {
      d.decide('approval_granted', record, `plan approved by ${input.by}`, about);
      resolveCall(
        d,
        call,
        {
          type: 'result',
          value: `The user approved the plan; it is being carried out.${feedback}`,
        },
        'approval',
      );
      appendToolMessages(d, stepCalls(d, run.stepId));
      const first = nextRunnableSubtask(updated);
      if (!first) throw new Error('a validated plan always has a runnable subtask');
      startSubtask(d, run.runId, first);
      break;
    }
    case 'reject':
      d.decide('approval_rejected', record, `plan rejected by ${input.by}${feedback}`, about);
      d.updateSession({ activePlanId: null });
      resolveCall(
        d,
        call,
        { type: 'error', message: `The user rejected the plan.${feedback}` },
        'approval',
      );
      appendToolMessages(d, stepCalls(d, run.stepId));
      endRun(d, 'plan rejected');
      break;
    case 'revise':
      d.decide('approval_rejected', record, `revision asked by ${input.by}${feedback}`, about);
      d.updateSession({ activePlanId: null, revisingPlanId: plan.id });
      resolveCall(
        d,
        call,
        {
          type: 'error',
          message: `The user asked for a revised plan.${feedback} Call create_plan again with the revised plan.`,
        },
        'approval',
      );
      settleStep(d, 'plan revision asked');
      break;
  }
  return d.finish({ ok: true, duplicate: false });
}

/** Cancels a plan (active or failed): its running subtask and every outstanding call and approval. */
export function onCancelPlan(
  d: Draft,
  input: Extract<SessionInput, { type: 'cancel_plan' }>,
): TransitionResult {
  const plan = d.plans[input.planId];
  if (!plan) return refuse(d, 'NOT_FOUND', `No plan ${input.planId} in this session.`);
  if (plan.status === 'cancelled') return d.finish({ ok: true, duplicate: true });
  if (
    plan.status !== 'awaiting_approval' &&
    plan.status !== 'in_progress' &&
    plan.status !== 'failed'
  ) {
    return refuse(
      d,
      'CONFLICT',
      `Plan ${plan.id} is ${plan.status}; only an active or failed plan can be cancelled.`,
    );
  }
  cancelPlan(d, plan, input.reason);
  d.decide(
    'plan_cancelled',
    { type: input.type, planId: plan.id, reason: input.reason },
    `cancelled by ${input.by}: ${input.reason}`,
    { planId: plan.id },
  );
  return d.finish();
}

/** Puts a failed subtask back to pending and resumes its plan in a new run. */
export function onRetrySubtask(
  d: Draft,
  input: Extract<SessionInput, { type: 'retry_subtask' }>,
): TransitionResult {
  const plan: Plan | undefined = d.plans[input.planId];
  if (!plan) return refuse(d, 'NOT_FOUND', `No plan ${input.planId} in this session.`);
  const subtask = plan.subtasks.find((s) => s.id === input.subtaskId);
  if (!subtask) return refuse(d, 'NOT_FOUND', `No subtask ${input.subtaskId} in plan ${plan.id}.`);
  if (plan.status !== 'failed' || subtask.status !== 'failed') {
    return refuse(
      d,
      'CONFLICT',
      `Only a failed subtask of a failed plan can be retried; plan ${plan.id} is ${plan.status} and subtask ${subtask.index} is ${subtask.status}.`,
    );
  }
  if (d.session.run.status !== 'idle') {
    return refuse(
      d,
      'CONFLICT',
      `The session is busy (${d.session.run.status}); cancel its run first.`,
    );
  }
  if (d.session.activePlanId !== null) {
    return refuse(
      d,
      'CONFLICT',
      `The session already has an active plan (${d.session.activePlanId}).`,
    );
  }
  const retried = d.putSubtask({ ...subtask, status: 'pending', error: null, steps: 0 });
  d.updateSession({ activePlanId: plan.id, runSteps: 0 });
  const resumed = setPlanStatus(d, retried, 'in_progress');
  d.decide(
    'plan_advanced',
    { type: input.type, planId: plan.id, subtaskId: subtask.id },
    `subtask ${subtask.index} retried by ${input.by}`,
    { planId: plan.id, subtaskId: subtask.id, agent: subtask.agent },
  );
  const next = nextRunnableSubtask(resumed);
  if (!next) throw new Error('a retried plan always has a runnable subtask');
  startSubtask(d, d.id('run'), next);
  return d.finish();
}
