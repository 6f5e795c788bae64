import type { SessionEvent } from '@baton/domain';
import { waitForEvent } from './event-data';
import type { EventRecorder } from './events';
import { recordEvents } from './events';
import type { Scenario } from './scenario';

/** A `create_plan` call of a scripted orchestrator; each subtask's description repeats its title. */
export const createPlan = (
  goal: string,
  subtasks: { title: string; agent: string; dependsOn: number[] }[],
) => ({
  name: 'create_plan',
  arguments: {
    goal,
    subtasks: subtasks.map((s) => ({ ...s, description: `Do this: ${s.title}.` })),
  },
});

/** A session whose orchestrator has proposed a plan that now awaits its decision. */
export async function planAwaitingDecision(scenario: Scenario, title: string) {
  const { client } = scenario;
  const session = await client.sessions.create.mutate({ title, agent: 'orchestrator' });
  const recorder = recordEvents(client, session.id);
  await client.messages.send.mutate({ sessionId: session.id, content: 'Plan it, please.' });
  const created = await waitForEvent(recorder, 'plan.created');
  await recorder.waitFor(
    (e) => e.seq > created.seq && e.type === 'run.state' && e.data.to === 'awaiting_plan_decision',
  );
  return { sessionId: session.id, recorder, planId: created.data.planId, created };
}

/** What the client answered for one dispatched call, and the decision it got back. */
export interface Answered {
  readonly name: string;
  readonly subtaskId: string | undefined;
  readonly decision: string;
}

/**
 * Acts as the IDE: answers every dispatched call and approves every gated tool call, in the order
 * they come, until `done` is recorded. Returns what it answered.
 */
export async function actAsClient(
  scenario: Scenario,
  sessionId: string,
  recorder: EventRecorder,
  done: (event: SessionEvent) => boolean,
): Promise<{ answered: Answered[]; end: SessionEvent }> {
  const { client } = scenario;
  const handled = new Set<string>();
  const answered: Answered[] = [];
  const needsClient = (e: SessionEvent) =>
    !handled.has(e.id) &&
    (e.type === 'tool_call.dispatched' ||
      (e.type === 'approval.requested' && e.data.kind === 'tool'));
  for (;;) {
    const next = await recorder.waitFor((e) => needsClient(e) || done(e));
    if (!needsClient(next)) return { answered, end: next };
    handled.add(next.id);
    if (next.type === 'approval.requested') {
      await client.approvals.decide.mutate({
        sessionId,
        approvalId: next.data.approvalId,
        decision: 'approve',
      });
    } else if (next.type === 'tool_call.dispatched') {
      const { callId, name, subtaskId } = next.data;
      const answer = await client.toolResults.submit.mutate({
        sessionId,
        callId,
        result: `output of ${name}`,
      });
      answered.push({ name, subtaskId, decision: answer.decision });
    }
  }
}

/** Matches a `plan.status` event with `status`. */
export const planStatus = (status: string) => (e: SessionEvent) =>
  e.type === 'plan.status' && e.data.status === status;
