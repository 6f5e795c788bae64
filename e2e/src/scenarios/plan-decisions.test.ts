import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backends } from '../harness/backends';
import { eventsOf, waitForEvent } from '../harness/event-data';
import { runIdleAfter } from '../harness/events';
import { actAsClient, createPlan, planAwaitingDecision, planStatus } from '../harness/plan-client';
import type { Scenario } from '../harness/scenario';
import { startScenario } from '../harness/scenario';

const read = (path: string) => ({ name: 'read_file', arguments: { path } });

describe.each(backends(inject('databaseUrl')))('on $kind', ({ databaseUrl }) => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await startScenario({
      databaseUrl,
      env: { BATON_MAX_STEPS: '2' },
      script: {
        // Past its list an agent repeats its last step: the architect reads forever.
        repeatLast: true,
        agents: {
          orchestrator: [
            {
              text: 'A plan.',
              toolCalls: [
                createPlan('Write the notes', [
                  { title: 'Draft the notes', agent: 'architect', dependsOn: [] },
                ]),
              ],
            },
            {
              text: 'A revised plan.',
              toolCalls: [
                createPlan('Write the notes, in two parts', [
                  { title: 'Outline the notes', agent: 'architect', dependsOn: [] },
                  { title: 'Draft the notes', agent: 'architect', dependsOn: [0] },
                ]),
              ],
            },
          ],
          architect: [{ text: 'Reading more.', toolCalls: [read('notes.md')] }],
        },
      },
    });
  });
  afterAll(() => scenario.close());

  it('9. a rejected plan ends the run and leaves the session usable: the next message is taken and may plan again', async () => {
    const { client } = scenario;
    const { sessionId, recorder, planId, created } = await planAwaitingDecision(scenario, 'reject');
    const rejected = await client.plans.decide.mutate({
      planId,
      decision: 'reject',
      feedback: 'Not now.',
    });
    expect(rejected.status).toBe('rejected');
    await recorder.waitFor(runIdleAfter(created.seq));
    const details = await client.sessions.get.query({ sessionId });
    expect(details.session).toMatchObject({ run: { status: 'idle' }, activePlanId: null });
    const told = details.messages.at(-1)?.body;
    expect(told?.role === 'tool' && told.outcome).toMatchObject({
      type: 'error',
      message: expect.stringContaining('Not now.') as string,
    });

    const sent = await client.messages.send.mutate({
      sessionId,
      content: 'Plan it again, then.',
    });
    expect(sent.runState.status).toBe('model_step');
    const again = await waitForEvent(recorder, 'plan.created', (e) => e.data.planId !== planId);
    await recorder.waitFor(
      (e) => e.seq > again.seq && e.type === 'run.state' && e.data.to === 'awaiting_plan_decision',
    );
    recorder.close();
    expect(await client.plans.get.query({ planId: again.data.planId })).toMatchObject({
      status: 'awaiting_approval',
      supersedesPlanId: null,
    });
    expect((await client.plans.get.query({ planId })).status).toBe('rejected');
  });

  it('9. revise makes the orchestrator plan again; the new plan supersedes the old one', async () => {
    const { client } = scenario;
    const { sessionId, recorder, planId } = await planAwaitingDecision(scenario, 'revise');
    const feedback = 'Split it in two: outline first.';
    expect(
      (await client.plans.decide.mutate({ planId, decision: 'revise', feedback })).status,
    ).toBe('superseded');
    const revised = await waitForEvent(recorder, 'plan.created', (e) => e.data.planId !== planId);
    await recorder.waitFor(
      (e) =>
        e.seq > revised.seq && e.type === 'run.state' && e.data.to === 'awaiting_plan_decision',
    );
    recorder.close();

    expect(eventsOf(recorder.events, 'plan.created')).toHaveLength(2);
    expect((await client.plans.get.query({ planId })).status).toBe('superseded');
    const next = await client.plans.get.query({ planId: revised.data.planId });
    expect(next).toMatchObject({ status: 'awaiting_approval', supersedesPlanId: planId });
    expect(next.subtasks.map((s) => s.title)).toEqual(['Outline the notes', 'Draft the notes']);
    const details = await client.sessions.get.query({ sessionId });
    expect(details.session.activePlanId).toBe(revised.data.planId);
    // The orchestrator re-planned having seen the feedback.
    const answers = details.messages.flatMap((m) =>
      m.body.role === 'tool' ? [m.body.outcome] : [],
    );
    expect(answers).toMatchObject([
      { type: 'error', message: expect.stringContaining(feedback) as string },
    ]);
  });

  it('a subtask over BATON_MAX_STEPS fails its plan and leaves the session idle; retrySubtask puts the plan in progress again', async () => {
    const { client } = scenario;
    const { sessionId, recorder, planId } = await planAwaitingDecision(scenario, 'retry');
    await client.plans.decide.mutate({ planId, decision: 'approve' });
    const { answered, end } = await actAsClient(
      scenario,
      sessionId,
      recorder,
      planStatus('failed'),
    );
    const idle = await recorder.waitFor(runIdleAfter(end.seq));
    expect(answered.map((a) => a.decision)).toEqual(['resume_subtask', 'resume_subtask']);

    const failed = await client.plans.get.query({ planId });
    expect(failed.status).toBe('failed');
    const [subtask] = failed.subtasks;
    expect(subtask).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('limit of 2 steps') as string,
    });
    const details = await client.sessions.get.query({ sessionId });
    expect(details.session).toMatchObject({ run: { status: 'idle' }, activePlanId: null });
    expect(
      (await client.decisions.list.query({ sessionId, kind: 'plan_failed' })).items,
    ).toHaveLength(1);

    const retried = await client.plans.retrySubtask.mutate({
      planId,
      subtaskId: subtask?.id ?? '',
    });
    expect(retried.status).toBe('in_progress');
    expect(retried.subtasks.map((s) => s.status)).toEqual(['running']);
    // The retried subtask works again: its agent takes a step and asks for a tool.
    const resumed = await waitForEvent(recorder, 'tool_call.dispatched', (e) => e.seq > idle.seq);
    expect(resumed.data).toMatchObject({ planId, subtaskId: subtask?.id, agent: 'architect' });
    expect((await client.sessions.get.query({ sessionId })).session.activePlanId).toBe(planId);
    expect((await client.plans.cancel.mutate({ planId })).status).toBe('cancelled');
    recorder.close();
  });
});
