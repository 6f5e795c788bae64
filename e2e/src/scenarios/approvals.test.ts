import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BatonClient } from '@baton/client';
import { backends } from '../harness/backends';
import { eventsOf, waitForEvent } from '../harness/event-data';
import type { EventRecorder } from '../harness/events';
import { recordEvents, runIdleAfter } from '../harness/events';
import { refusal, refusalOf } from '../harness/refusals';
import type { Scenario } from '../harness/scenario';
import { startScenario } from '../harness/scenario';

const ORIGINAL = { path: 'notes.txt', content: 'first draft' };
const EDITED = { path: 'docs/notes.txt', content: 'edited by a human' };

describe.each(backends(inject('databaseUrl')))('on $kind', ({ databaseUrl }) => {
  let scenario: Scenario;
  beforeAll(async () => {
    // The default approval policy: write_file needs a human.
    scenario = await startScenario({
      databaseUrl,
      script: {
        agents: {
          coder: [
            {
              text: 'Writing the notes.',
              toolCalls: [{ name: 'write_file', arguments: ORIGINAL }],
            },
            { text: 'Done.' },
          ],
        },
      },
    });
  });
  afterAll(() => scenario.close());

  /** A coder session whose write_file awaits approval; nothing of it has been dispatched. */
  async function awaitingApproval(title: string) {
    const { client } = scenario;
    const session = await client.sessions.create.mutate({ title, agent: 'coder' });
    const recorder = recordEvents(client, session.id);
    await client.messages.send.mutate({ sessionId: session.id, content: 'Write the notes.' });
    const waiting = await recorder.waitFor(
      (e) => e.type === 'run.state' && e.data.to === 'awaiting_approval',
    );
    const requested = eventsOf(recorder.events, 'approval.requested')[0];
    if (!requested) throw new Error('an approval was requested before the run awaited it');
    expect(requested.data).toMatchObject({
      kind: 'tool',
      name: 'write_file',
      arguments: ORIGINAL,
      agent: 'coder',
    });
    expect(eventsOf(recorder.events, 'tool_call.dispatched')).toEqual([]);
    const details = await client.sessions.get.query({ sessionId: session.id });
    expect(details.session.lastSeq).toBe(waiting.seq);
    expect(details.calls).toMatchObject([
      {
        id: requested.data.callId,
        status: 'awaiting_approval',
        dispatchedAt: null,
        dispatchedArguments: null,
      },
    ]);
    expect(details.approvals).toMatchObject([{ id: requested.data.approvalId, status: 'pending' }]);
    return { sessionId: session.id, recorder, requested };
  }

  /** Answers the dispatched write and waits for the coder's next (last) step to end the run. */
  async function finish(client: BatonClient, sessionId: string, recorder: EventRecorder) {
    const dispatched = await waitForEvent(recorder, 'tool_call.dispatched');
    const answer = await client.toolResults.submit.mutate({
      sessionId,
      callId: dispatched.data.callId,
      result: 'written',
    });
    expect(answer).toEqual({ decision: 'continue_agent', duplicate: false });
    await recorder.waitFor(runIdleAfter(dispatched.seq));
    recorder.close();
    return dispatched;
  }

  it('8. a gated write_file is not dispatched until approved; approval dispatches the original arguments', async () => {
    const { client } = scenario;
    const { sessionId, recorder, requested } = await awaitingApproval('approve');
    const approval = await client.approvals.decide.mutate({
      sessionId,
      approvalId: requested.data.approvalId,
      decision: 'approve',
    });
    expect(approval).toMatchObject({
      status: 'approved',
      answer: 'approve',
      editedArguments: null,
      decidedBy: 'scenario client',
    });
    const dispatched = await finish(client, sessionId, recorder);
    expect(dispatched.data).toMatchObject({
      callId: requested.data.callId,
      name: 'write_file',
      arguments: ORIGINAL,
    });
    // Nothing went to the client before the decision.
    const types = recorder.events.map((e) => e.type);
    expect(types.indexOf('tool_call.dispatched')).toBeGreaterThan(
      types.indexOf('approval.decided'),
    );
    expect(types.filter((t) => t === 'tool_call.dispatched')).toHaveLength(1);
    const granted = await client.decisions.list.query({ sessionId, kind: 'approval_granted' });
    expect(granted.items.map((d) => d.callId)).toEqual([requested.data.callId]);
  });

  it('8. an operator edits the arguments: invalid ones are BAD_REQUEST and change nothing, valid ones are stored and dispatched', async () => {
    const { operator, client } = scenario;
    const { sessionId, recorder, requested } = await awaitingApproval('edit');
    const { approvalId } = requested.data;
    const before = await client.sessions.get.query({ sessionId });
    const decisionsBefore = await client.decisions.list.query({ sessionId });

    const missing = await refusal(
      operator.approvals.decide.mutate({
        sessionId,
        approvalId,
        decision: 'edit',
        arguments: { path: 'notes.txt' },
      }),
    );
    expect(missing.code).toBe('BAD_REQUEST');
    expect(missing.message).toContain('content');
    const wrongType = await refusal(
      operator.approvals.decide.mutate({
        sessionId,
        approvalId,
        decision: 'edit',
        arguments: { path: 7, content: 'x' },
      }),
    );
    expect(wrongType.code).toBe('BAD_REQUEST');
    expect(wrongType.message).toContain('path');
    const none = await refusal(
      operator.approvals.decide.mutate({ sessionId, approvalId, decision: 'edit' }),
    );
    expect(none.code).toBe('BAD_REQUEST');
    expect(none.message).toContain('arguments');
    expect(await client.sessions.get.query({ sessionId })).toEqual(before);
    expect(await client.decisions.list.query({ sessionId })).toEqual(decisionsBefore);

    const edited = await operator.approvals.decide.mutate({
      sessionId,
      approvalId,
      decision: 'edit',
      arguments: EDITED,
    });
    expect(edited).toMatchObject({
      status: 'edited',
      answer: 'edit',
      editedArguments: EDITED,
      decidedBy: 'scenario operator',
    });
    const dispatched = await finish(client, sessionId, recorder);
    expect(dispatched.data).toMatchObject({ callId: requested.data.callId, arguments: EDITED });
    const details = await client.sessions.get.query({ sessionId });
    expect(details.approvals).toMatchObject([
      { id: approvalId, status: 'edited', editedArguments: EDITED },
    ]);
    expect(details.calls).toMatchObject([
      { arguments: ORIGINAL, dispatchedArguments: EDITED, status: 'resolved' },
    ]);
  });

  it('8. a rejection with feedback is never dispatched and the agent continues knowing why; rejecting again returns the same approval', async () => {
    const { client, operator } = scenario;
    const { sessionId, recorder, requested } = await awaitingApproval('reject');
    const { approvalId } = requested.data;
    const feedback = 'Not in notes.txt; put it in NOTES.md.';
    const rejected = await client.approvals.decide.mutate({
      sessionId,
      approvalId,
      decision: 'reject',
      feedback,
    });
    expect(rejected).toMatchObject({ status: 'rejected', answer: 'reject', feedback });
    await recorder.waitFor(runIdleAfter(requested.seq));

    const again = await operator.approvals.decide.mutate({
      sessionId,
      approvalId,
      decision: 'reject',
      feedback,
    });
    expect(again).toEqual(rejected);
    const approve = await refusal(
      client.approvals.decide.mutate({ sessionId, approvalId, decision: 'approve' }),
    );
    expect(approve.code).toBe('CONFLICT');
    expect(approve.message).toContain('rejected');

    const details = await client.sessions.get.query({ sessionId });
    await recorder.waitFor((e) => e.seq === details.session.lastSeq);
    recorder.close();
    expect(eventsOf(recorder.events, 'tool_call.dispatched')).toEqual([]);
    expect(eventsOf(recorder.events, 'tool_call.resolved').map((e) => e.data.resolvedBy)).toEqual([
      'approval',
    ]);
    const bodies = details.messages.map((m) => m.body);
    expect(bodies.map((b) => b.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    const toolMessage = bodies[2];
    if (toolMessage?.role !== 'tool') throw new Error('the third message is the tool message');
    expect(toolMessage.outcome.type).toBe('error');
    expect(toolMessage.outcome.type === 'error' && toolMessage.outcome.message).toMatch(/rejected/);
    expect(toolMessage.outcome.type === 'error' && toolMessage.outcome.message).toContain(feedback);
    expect(details.calls).toMatchObject([
      { status: 'resolved', resolvedBy: 'approval', dispatchedAt: null },
    ]);
    const kinds = (await client.decisions.list.query({ sessionId })).items.map((d) => d.kind);
    expect(kinds.filter((k) => k.startsWith('approval_'))).toEqual(['approval_rejected']);
  });

  it('8. the first decision wins: the same decision again returns the same approval, a different one is CONFLICT', async () => {
    const { client, operator } = scenario;
    const { sessionId, recorder, requested } = await awaitingApproval('decide twice');
    const { approvalId } = requested.data;
    const approved = await client.approvals.decide.mutate({
      sessionId,
      approvalId,
      decision: 'approve',
    });
    const repeated = await operator.approvals.decide.mutate({
      sessionId,
      approvalId,
      decision: 'approve',
    });
    expect(repeated).toEqual(approved);

    const before = await client.sessions.get.query({ sessionId });
    const reject = await refusal(
      client.approvals.decide.mutate({ sessionId, approvalId, decision: 'reject', feedback: 'no' }),
    );
    expect(reject.code).toBe('CONFLICT');
    expect(reject.message).toContain('approved');
    const edit = await refusal(
      operator.approvals.decide.mutate({
        sessionId,
        approvalId,
        decision: 'edit',
        arguments: EDITED,
      }),
    );
    expect(edit.code).toBe('CONFLICT');
    const after = await client.sessions.get.query({ sessionId });
    expect(after.approvals).toEqual(before.approvals);
    expect(after.calls).toEqual(before.calls);

    const dispatched = await finish(client, sessionId, recorder);
    expect(dispatched.data.arguments).toEqual(ORIGINAL);
    expect(eventsOf(recorder.events, 'tool_call.dispatched')).toHaveLength(1);
    const kinds = (await client.decisions.list.query({ sessionId })).items
      .map((d) => d.kind)
      .reverse();
    expect(kinds.slice(0, 4)).toEqual([
      'approval_granted',
      'duplicate_ignored',
      'conflict_rejected',
      'conflict_rejected',
    ]);
  });

  it('concurrent approve and reject: exactly one wins, the other is CONFLICT, and the call is dispatched only if approve won', async () => {
    const { client, operator } = scenario;
    const { sessionId, recorder, requested } = await awaitingApproval('race');
    const { approvalId } = requested.data;
    const outcomes = await Promise.allSettled([
      client.approvals.decide.mutate({ sessionId, approvalId, decision: 'approve' }),
      operator.approvals.decide.mutate({
        sessionId,
        approvalId,
        decision: 'reject',
        feedback: 'no',
      }),
    ]);
    const won = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [refusalOf(o.reason)] : []));
    expect(won).toHaveLength(1);
    expect(lost.map((r) => r.code)).toEqual(['CONFLICT']);
    if (won[0]?.status === 'approved') {
      await finish(client, sessionId, recorder);
    } else {
      expect(won[0]?.status).toBe('rejected');
      await recorder.waitFor(runIdleAfter(requested.seq));
      recorder.close();
    }
    const dispatched = eventsOf(recorder.events, 'tool_call.dispatched');
    expect(dispatched).toHaveLength(won[0]?.status === 'approved' ? 1 : 0);
    const { approvals } = await client.sessions.get.query({ sessionId });
    expect(approvals).toEqual([won[0]]);
  });
});
