import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BatonClient } from '@baton/client';
import { createBatonClient } from '@baton/client';
import { backends } from '../harness/backends';
import { eventsOf, waitForEvent } from '../harness/event-data';
import { recordEvents, runIdleAfter } from '../harness/events';
import type { Refusal } from '../harness/refusals';
import { refusal, subscriptionRefusal, withoutEventCounter } from '../harness/refusals';
import type { Scenario } from '../harness/scenario';
import { startScenario } from '../harness/scenario';

const plan = {
  goal: 'Tidy the docs',
  subtasks: [
    { title: 'Tidy', description: 'Tidy the docs folder.', agent: 'coder', dependsOn: [] },
  ],
};

describe.each(backends(inject('databaseUrl')))('on $kind', ({ databaseUrl, kind }) => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await startScenario({
      databaseUrl,
      script: {
        agents: {
          ask: [
            { toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }] },
            { text: 'Read it.' },
          ],
          coder: [
            { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'a' } }] },
          ],
          orchestrator: [
            { text: 'A plan.', toolCalls: [{ name: 'create_plan', arguments: plan }] },
          ],
          debug: [{ delayMs: 60_000, text: 'Too slow to finish.' }],
        },
      },
    });
  });
  afterAll(() => scenario.close());

  /** A session of `agent` whose first run has reached `status` (its recorder still open). */
  async function runReaching(agent: 'ask' | 'coder' | 'orchestrator' | 'debug', status: string) {
    const { client } = scenario;
    const session = await client.sessions.create.mutate({ title: `${agent} run`, agent });
    const recorder = recordEvents(client, session.id);
    await client.messages.send.mutate({ sessionId: session.id, content: 'Go.' });
    await recorder.waitFor((e) => e.type === 'run.state' && e.data.to === status);
    const details = await client.sessions.get.query({ sessionId: session.id });
    await recorder.waitFor((e) => e.seq === details.session.lastSeq);
    return { sessionId: session.id, recorder, details };
  }

  const codeOf = (r: Refusal) => r.code;

  it('7. an unknown call id is NOT_FOUND, recorded as unknown_call_rejected in the caller’s session, and changes nothing else', async () => {
    const { client } = scenario;
    const { sessionId, recorder, details: before } = await runReaching('ask', 'awaiting_tools');
    const refused = await refusal(
      client.toolResults.submit.mutate({ sessionId, callId: 'call_nobody_made', result: 'x' }),
    );
    expect(refused).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('call_nobody_made') as string,
    });

    const after = await client.sessions.get.query({ sessionId });
    expect(withoutEventCounter(after)).toEqual(withoutEventCounter(before));
    expect(after.session.lastSeq).toBe(before.session.lastSeq + 1);
    const recorded = await client.decisions.list.query({
      sessionId,
      kind: 'unknown_call_rejected',
    });
    expect(recorded.items).toMatchObject([{ sessionId, callId: 'call_nobody_made' }]);
    // The real call is still open and continues the agent.
    const [call] = eventsOf(recorder.events, 'tool_call.dispatched');
    if (!call) throw new Error('the read was dispatched');
    const answer = await client.toolResults.submit.mutate({
      sessionId,
      callId: call.data.callId,
      result: '# Hello',
    });
    expect(answer.decision).toBe('continue_agent');
    await recorder.waitFor(runIdleAfter(call.seq));
    recorder.close();
  });

  it('7. another client’s session is NOT_FOUND for every procedure, exactly like a missing one, and nothing of it changes', async () => {
    const { client, otherClient, operator } = scenario;
    const {
      sessionId,
      recorder,
      details: before,
    } = await runReaching('orchestrator', 'awaiting_plan_decision');
    recorder.close();
    const [victimPlan] = before.plans;
    const [approval] = before.approvals;
    if (!victimPlan || !approval) throw new Error('the plan awaits its approval');
    const planId = victimPlan.id;
    const decisionsBefore = await client.decisions.list.query({ sessionId });

    const other: BatonClient = otherClient;
    const refusals = await Promise.all([
      refusal(other.sessions.get.query({ sessionId })),
      refusal(other.messages.send.mutate({ sessionId, content: 'Let me in.' })),
      refusal(
        other.toolResults.submit.mutate({ sessionId, callId: victimPlan.callId, result: 'x' }),
      ),
      refusal(other.sessions.cancel.mutate({ sessionId })),
      refusal(other.decisions.list.query({ sessionId })),
      refusal(other.plans.get.query({ planId })),
      refusal(other.plans.decide.mutate({ planId, decision: 'approve' })),
      refusal(other.plans.cancel.mutate({ planId })),
      refusal(
        other.plans.retrySubtask.mutate({ planId, subtaskId: victimPlan.subtasks[0]?.id ?? '' }),
      ),
      refusal(
        other.approvals.decide.mutate({ sessionId, approvalId: approval.id, decision: 'approve' }),
      ),
      subscriptionRefusal((handlers) => other.sessions.events.subscribe({ sessionId }, handlers)),
    ]);
    expect(refusals.map(codeOf)).toEqual(Array(11).fill('NOT_FOUND'));
    // The answer does not leak that the session exists: it reads as for an id nobody has.
    const missing = await refusal(other.sessions.get.query({ sessionId: 'ses_nobody_has' }));
    expect(refusals[0]?.message.replace(sessionId, '<id>')).toBe(
      missing.message.replace('ses_nobody_has', '<id>'),
    );

    expect(await client.sessions.get.query({ sessionId })).toEqual(before);
    expect(await client.decisions.list.query({ sessionId })).toEqual(decisionsBefore);
    // An operator sees every session.
    expect((await operator.sessions.get.query({ sessionId })).session.id).toBe(sessionId);
  });

  it('7. no token, a malformed token or a revoked token is UNAUTHORIZED and changes nothing; health answers without one', async () => {
    const { admin, operator, runtime } = scenario;
    const withToken = (token: string) => createBatonClient({ url: runtime.url, token });
    // The session belongs to a token that is revoked below; its run waits on a read.
    const issued = await admin.tokens.create.mutate({ name: 'soon revoked', role: 'client' });
    const owner = withToken(issued.token);
    const { id: sessionId } = await owner.sessions.create.mutate({ title: 'owner', agent: 'ask' });
    const recorder = recordEvents(owner, sessionId);
    await owner.messages.send.mutate({ sessionId, content: 'Read the README.' });
    const { data: call } = await waitForEvent(recorder, 'tool_call.dispatched');
    recorder.close();
    const before = await operator.sessions.get.query({ sessionId });

    const post = (path: string, input: unknown) =>
      fetch(`${runtime.url}/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
    const noToken = [
      await fetch(
        `${runtime.url}/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`,
      ),
      await post('messages.send', { sessionId, content: 'Hi.' }),
      await post('toolResults.submit', { sessionId, callId: call.callId, result: 'x' }),
    ];
    expect(noToken.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(await noToken[1]?.json()).toMatchObject({ error: { data: { code: 'UNAUTHORIZED' } } });

    const malformed = await refusal(
      withToken('not a token').messages.send.mutate({ sessionId, content: 'Hi.' }),
    );
    expect(malformed.code).toBe('UNAUTHORIZED');
    expect(malformed.message).toContain('Authorization: Bearer');
    const unknown = await refusal(
      withToken('baton_thisTokenWasNeverIssuedByAnyone0000000').toolResults.submit.mutate({
        sessionId,
        callId: call.callId,
        result: 'x',
      }),
    );
    expect(unknown.code).toBe('UNAUTHORIZED');
    await admin.tokens.revoke.mutate({ id: issued.id });
    const revoked = await Promise.all([
      refusal(owner.sessions.get.query({ sessionId })),
      refusal(owner.toolResults.submit.mutate({ sessionId, callId: call.callId, result: 'x' })),
      subscriptionRefusal((handlers) => owner.sessions.events.subscribe({ sessionId }, handlers)),
    ]);
    expect(revoked.map(codeOf)).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED']);
    // A revoked token reads exactly like one that never existed.
    expect(revoked[0]?.message).toBe(unknown.message);
    expect(await operator.sessions.get.query({ sessionId })).toEqual(before);

    const health = await fetch(`${runtime.url}/trpc/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      result: { data: { status: 'ok', database: kind } },
    });
    expect((await fetch(`${runtime.url}/healthz`)).status).toBe(200);
  });

  it('a client token is FORBIDDEN on tokens, events.all and stats.overview; an operator token on tokens', async () => {
    const { client, operator } = scenario;
    const refusals = await Promise.all([
      refusal(client.tokens.create.mutate({ name: 'mine', role: 'admin' })),
      refusal(client.tokens.list.query()),
      refusal(client.stats.overview.query()),
      subscriptionRefusal((handlers) => client.events.all.subscribe({}, handlers)),
      refusal(operator.tokens.create.mutate({ name: 'mine', role: 'admin' })),
    ]);
    expect(refusals.map(codeOf)).toEqual(Array(5).fill('FORBIDDEN'));
    expect(refusals[0]?.message).toContain('admin');
    expect(await operator.stats.overview.query()).toBeTruthy();
  });

  it('invalid input is BAD_REQUEST naming the field, and leaves the session as it was', async () => {
    const { client } = scenario;
    const { sessionId, recorder, details: before } = await runReaching('ask', 'awaiting_tools');
    recorder.close();
    const sessionsBefore = await client.sessions.list.query({ limit: 200 });
    // Each case sends what the typed client would not let through.
    const cases: [string, () => Promise<unknown>][] = [
      ['content', () => client.messages.send.mutate({ sessionId } as never)],
      ['content', () => client.messages.send.mutate({ sessionId, content: '' })],
      ['content', () => client.messages.send.mutate({ sessionId, content: 42 } as never)],
      [
        'agent',
        () => client.messages.send.mutate({ sessionId, content: 'Hi.', agent: 'wizard' } as never),
      ],
      ['agent', () => client.sessions.create.mutate({ title: 'x', agent: 'wizard' } as never)],
      ['sessionId', () => client.sessions.get.query({ sessionId: 42 } as never)],
      ['callId', () => client.toolResults.submit.mutate({ sessionId, result: 'x' } as never)],
      [
        'decision',
        () =>
          client.approvals.decide.mutate({
            sessionId,
            approvalId: 'apr_x',
            decision: 'maybe',
          } as never),
      ],
      [
        'decision',
        () => client.plans.decide.mutate({ planId: 'pln_x', decision: 'sure' } as never),
      ],
    ];
    for (const [field, call] of cases) {
      const refused = await refusal(call());
      expect(refused.code, field).toBe('BAD_REQUEST');
      expect(refused.fields, field).toContain(field);
      expect(refused.message, field).toContain(field);
    }
    expect(await client.sessions.get.query({ sessionId })).toEqual(before);
    expect((await client.sessions.list.query({ limit: 200 })).items).toHaveLength(
      sessionsBefore.items.length,
    );
  });

  it('a message while the run is busy is CONFLICT saying what the session waits for, and changes nothing', async () => {
    const { client } = scenario;
    const busy = [
      { agent: 'ask', status: 'awaiting_tools', waitsFor: 'tool results are outstanding' },
      { agent: 'coder', status: 'awaiting_approval', waitsFor: 'a tool call awaits approval' },
      { agent: 'orchestrator', status: 'awaiting_plan_decision', waitsFor: 'awaits a decision' },
      {
        agent: 'debug',
        status: 'model_step',
        waitsFor: 'a model step of the debug agent is in flight',
      },
    ] as const;
    for (const { agent, status, waitsFor } of busy) {
      const { sessionId, recorder, details: before } = await runReaching(agent, status);
      const refused = await refusal(
        client.messages.send.mutate({ sessionId, content: 'And another thing.' }),
      );
      expect(refused.code, agent).toBe('CONFLICT');
      expect(refused.message, agent).toContain(waitsFor);
      expect(await client.sessions.get.query({ sessionId }), agent).toEqual(before);
      // sessions.cancel ends the run first; then the session takes messages again.
      expect(await client.sessions.cancel.mutate({ sessionId })).toEqual({ status: 'idle' });
      await recorder.waitFor(runIdleAfter(before.session.lastSeq));
      recorder.close();
    }
  });
});
