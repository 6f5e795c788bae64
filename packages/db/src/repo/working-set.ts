import type { Approval, Plan, Session, SessionInput, SessionState, ToolCall } from '@baton/domain';
import type { Db } from '../client';
import { loadApprovals } from './approvals';
import { loadPlans } from './plans';
import { loadToolCalls } from './tool-calls';

const byId = <T extends { id: string }>(records: readonly T[]): Record<string, T> =>
  Object.fromEntries(records.map((record) => [record.id, record]));

/** The ids in `wanted` that `have` does not hold yet. */
const missing = (wanted: Iterable<string>, have: Record<string, unknown>): string[] =>
  [...new Set(wanted)].filter((id) => !(id in have));

/**
 * The calls `input` names and those of the session's current step: the first read of
 * {@link loadWorkingSet}, which needs no session row, so it can be sent right behind the lock
 * on the same connection (one round trip for both); PostgreSQL runs it after the lock is held,
 * so it sees the locked row's step.
 */
export function prefetchCalls(db: Db, sessionId: string, input: SessionInput): Promise<ToolCall[]> {
  return loadToolCalls(db, sessionId, {
    ids: 'callId' in input ? [input.callId] : [],
    stepIds: [],
    currentStep: true,
  });
}

/**
 * Loads what the domain decides `input` over (the contract on `SessionState`): the session, its
 * active plan and any plan the input names (its `planId`, the plan owning the run, the named
 * call or approval); the calls of the run's current step plus any call the input names (its
 * `callId`, the approval's call, the plans' `create_plan` calls); and the approvals of those
 * calls and plans plus the one the input names. Every read is confined to the session, so an
 * input can never reach another session's records. Call it holding the session lock, with what
 * {@link prefetchCalls} read holding it if it was sent.
 */
export async function loadWorkingSet(
  db: Db,
  session: Session,
  input: SessionInput,
  prefetched?: readonly ToolCall[],
): Promise<SessionState> {
  const run = session.run;
  const planIds = new Set<string>();
  const callIds = new Set<string>();
  const approvalIds = new Set<string>();
  if (session.activePlanId) planIds.add(session.activePlanId);
  if (run.status !== 'idle' && run.owner.kind === 'subtask') planIds.add(run.owner.planId);
  if (run.status === 'awaiting_plan_decision') planIds.add(run.planId);
  if ('planId' in input) planIds.add(input.planId);
  if ('callId' in input) callIds.add(input.callId);

  const approvals: Record<string, Approval> = {};
  if ('approvalId' in input) {
    approvalIds.add(input.approvalId);
    for (const approval of await loadApprovals(db, session.id, [input.approvalId])) {
      approvals[approval.id] = approval;
      if (approval.callId) callIds.add(approval.callId);
      if (approval.planId) planIds.add(approval.planId);
    }
  }

  const calls: Record<string, ToolCall> = byId(prefetched ?? []);
  // The prefetch already looked for the input's own call (absent: not this session's).
  const sought = prefetched && 'callId' in input ? input.callId : null;
  Object.assign(
    calls,
    byId(
      await loadToolCalls(db, session.id, {
        ids: missing(callIds, calls).filter((id) => id !== sought),
        stepIds: prefetched || run.status === 'idle' ? [] : [run.stepId],
      }),
    ),
  );
  for (const id of callIds) {
    const owner = calls[id]?.owner;
    if (owner?.kind === 'subtask') planIds.add(owner.planId);
  }

  const plans: Record<string, Plan> = byId(await loadPlans(db, session.id, [...planIds]));
  const planCallIds = Object.values(plans).map((plan) => plan.callId);
  Object.assign(
    calls,
    byId(await loadToolCalls(db, session.id, { ids: missing(planCallIds, calls), stepIds: [] })),
  );

  for (const plan of Object.values(plans)) if (plan.approvalId) approvalIds.add(plan.approvalId);
  for (const call of Object.values(calls)) if (call.approvalId) approvalIds.add(call.approvalId);
  Object.assign(
    approvals,
    byId(await loadApprovals(db, session.id, missing(approvalIds, approvals))),
  );

  return { session, plans, calls, approvals };
}
