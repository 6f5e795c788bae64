import type { AgentName } from './agents';
import type { Draft } from './draft';
import type { BusyRunState, Owner, Subtask, ToolCall, ToolOutcome } from './records';

/**
 * The moves on a run that every handler shares: finding, resolving and dispatching calls,
 * closing a step's context, ending or cancelling the run. Each works on a {@link Draft}.
 */

/** The step a busy run is on, without its status (to move the run to another status). */
export function stepRef(run: BusyRunState): {
  runId: string;
  stepId: string;
  owner: Owner;
  agent: AgentName;
} {
  return { runId: run.runId, stepId: run.stepId, owner: run.owner, agent: run.agent };
}

/** The owner of a subtask, as the owner of its calls. */
export function subtaskOwner(subtask: Subtask): Owner {
  return { kind: 'subtask', planId: subtask.planId, subtaskId: subtask.id };
}

/** The subtask an owner names, from the draft. */
export function findSubtask(d: Draft, owner: Owner): Subtask | null {
  if (owner.kind !== 'subtask') return null;
  return d.plans[owner.planId]?.subtasks.find((s) => s.id === owner.subtaskId) ?? null;
}

/** The calls of one step, in the order the model made them. */
export function stepCalls(d: Draft, stepId: string): ToolCall[] {
  return Object.values(d.calls)
    .filter((call) => call.stepId === stepId)
    .sort((a, b) => a.index - b.index);
}

/** Whether a call still waits for something (a human or the client). */
export function isOpen(call: ToolCall): boolean {
  return call.status === 'awaiting_approval' || call.status === 'dispatched';
}

/** Resolves a call with `outcome` and emits `tool_call.resolved`. */
export function resolveCall(
  d: Draft,
  call: ToolCall,
  outcome: ToolOutcome,
  resolvedBy: 'client' | 'runtime' | 'approval',
  resolution: ToolCall['resolution'] = null,
): ToolCall {
  const resolved: ToolCall = {
    ...call,
    status: 'resolved',
    outcome,
    resolvedBy,
    resolution,
    resolvedAt: d.at,
  };
  d.putCall(resolved);
  d.emit('tool_call.resolved', { callId: call.id, name: call.name, outcome, resolvedBy });
  return resolved;
}

/** Sends a call to the client (with the arguments a human may have edited). */
export function dispatchCall(d: Draft, call: ToolCall, args = call.arguments): ToolCall {
  const dispatched: ToolCall = {
    ...call,
    status: 'dispatched',
    dispatchedArguments: args,
    dispatchedAt: d.at,
  };
  d.putCall(dispatched);
  d.emit('tool_call.dispatched', {
    callId: call.id,
    name: call.name,
    arguments: args,
    agent: call.agent,
    ...(call.owner.kind === 'subtask'
      ? { planId: call.owner.planId, subtaskId: call.owner.subtaskId }
      : {}),
  });
  return dispatched;
}

/** Appends the tool messages of a finished step to its owner's context, in call order. */
export function appendToolMessages(d: Draft, calls: readonly ToolCall[]): void {
  for (const call of calls) {
    const outcome: ToolOutcome = call.outcome ?? { type: 'error', message: 'No result.' };
    d.append(
      call.owner,
      { role: 'tool', callId: call.id, name: call.name, outcome },
      { runId: call.runId, stepId: call.stepId, agent: call.agent },
    );
  }
}

/** Ends the run: the session is idle and usable. */
export function endRun(d: Draft, reason: string): void {
  // A revision asked for in this run links only a plan made in this run.
  if (d.session.revisingPlanId !== null) d.updateSession({ revisingPlanId: null });
  d.setRun({ status: 'idle' }, reason);
}

/** Ends the run because of an error the client should see. */
export function failRun(d: Draft, runId: string, message: string): void {
  d.emit('error', { message, runId });
  endRun(d, message);
}

/**
 * Cancels whatever the current run waits on: open calls (with a tool message saying so, so the
 * context stays well-formed), their pending approvals, an in-flight model step. The run ends.
 */
export function cancelOpenWork(d: Draft, reason: string): void {
  const run = d.session.run;
  if (run.status === 'idle') return;
  if (run.status === 'model_step') {
    d.effect({ type: 'abort_model_step', stepId: run.stepId, reason });
  } else {
    const calls = stepCalls(d, run.stepId);
    for (const call of calls.filter(isOpen)) {
      const approval = call.approvalId ? d.approvals[call.approvalId] : undefined;
      if (approval?.status === 'pending') {
        d.putApproval({ ...approval, status: 'cancelled', decidedAt: d.at });
        d.emit('approval.decided', {
          approvalId: approval.id,
          kind: approval.kind,
          status: 'cancelled',
          ...(approval.callId ? { callId: approval.callId } : {}),
          ...(approval.planId ? { planId: approval.planId } : {}),
        });
      }
      const outcome: ToolOutcome = { type: 'error', message: `Cancelled: ${reason}` };
      d.putCall({ ...call, status: 'cancelled', outcome, resolvedAt: d.at });
      d.emit('tool_call.resolved', {
        callId: call.id,
        name: call.name,
        outcome,
        resolvedBy: 'cancel',
      });
    }
    appendToolMessages(d, stepCalls(d, run.stepId));
  }
  endRun(d, `cancelled: ${reason}`);
}
