import type { SessionInput } from '../inputs';
import type { SessionState } from '../state';

/**
 * The part of a full session state that the engine loads for `input` (the contract written on
 * {@link SessionState}). The property tests run every input against this slice too, to prove
 * the transition never depends on anything the engine does not load.
 */
export function sliceWorkingSet(full: SessionState, input: SessionInput): SessionState {
  const { session } = full;
  const planIds = new Set<string>();
  const callIds = new Set<string>();
  const approvalIds = new Set<string>();
  if (session.activePlanId) planIds.add(session.activePlanId);
  const run = session.run;
  if (run.status !== 'idle') {
    if (run.owner.kind === 'subtask') planIds.add(run.owner.planId);
    if (run.status === 'awaiting_plan_decision') planIds.add(run.planId);
    for (const call of Object.values(full.calls))
      if (call.stepId === run.stepId) callIds.add(call.id);
  }
  if ('planId' in input) planIds.add(input.planId);
  if ('callId' in input) callIds.add(input.callId);
  if ('approvalId' in input) {
    approvalIds.add(input.approvalId);
    const approval = full.approvals[input.approvalId];
    if (approval?.callId) callIds.add(approval.callId);
    if (approval?.planId) planIds.add(approval.planId);
  }
  for (const id of callIds) {
    const call = full.calls[id];
    if (call?.owner.kind === 'subtask') planIds.add(call.owner.planId);
  }
  for (const id of planIds) {
    const plan = full.plans[id];
    if (!plan) continue;
    callIds.add(plan.callId);
    if (plan.approvalId) approvalIds.add(plan.approvalId);
  }
  for (const id of callIds) {
    const approvalId = full.calls[id]?.approvalId;
    if (approvalId) approvalIds.add(approvalId);
  }
  const pick = <T>(records: Readonly<Record<string, T>>, ids: Set<string>): Record<string, T> =>
    Object.fromEntries([...ids].flatMap((id) => (records[id] ? [[id, records[id]]] : [])));
  return {
    session,
    plans: pick(full.plans, planIds),
    calls: pick(full.calls, callIds),
    approvals: pick(full.approvals, approvalIds),
  };
}
