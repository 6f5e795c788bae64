import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SessionEvent } from '@baton/domain';
import { recordEvents, runIdleAfter } from '../harness/events';
import type { Scenario } from '../harness/scenario';
import { startScenario } from '../harness/scenario';
import { backends } from '../harness/backends';

const read = (path: string) => ({ name: 'read_file', arguments: { path } });

describe.each(backends(inject('databaseUrl')))('on $kind', ({ databaseUrl }) => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await startScenario({
      databaseUrl,
      script: {
        agents: {
          // Scenario 1: one call, then the answer.
          ask: [
            { text: 'Let me look.', toolCalls: [read('README.md')] },
            { text: 'It says hello.' },
          ],
          // Scenario 2: three parallel calls, then the answer.
          coder: [
            { text: 'Reading three files.', toolCalls: [read('a.ts'), read('b.ts'), read('c.ts')] },
            { text: 'Read all three.' },
          ],
        },
      },
    });
  });
  afterAll(() => scenario.close());

  it('1. a plain run: message, tool call, result, final answer; events in order; the session is idle', async () => {
    const { client } = scenario;
    const session = await client.sessions.create.mutate({ title: 'plain', agent: 'ask' });
    const recorder = recordEvents(client, session.id);
    const sent = await client.messages.send.mutate({
      sessionId: session.id,
      content: 'What does the README say?',
    });
    expect(sent.runState.status).toBe('model_step');
    const dispatched = await recorder.waitFor((e) => e.type === 'tool_call.dispatched');
    if (dispatched.type !== 'tool_call.dispatched') throw new Error('unreachable');
    expect(dispatched.data).toMatchObject({
      name: 'read_file',
      arguments: { path: 'README.md' },
      agent: 'ask',
    });
    const submitted = await client.toolResults.submit.mutate({
      sessionId: session.id,
      callId: dispatched.data.callId,
      result: 'hello',
    });
    expect(submitted).toEqual({ decision: 'continue_agent', duplicate: false });
    await recorder.waitFor(runIdleAfter(dispatched.seq));
    recorder.close();

    const types = recorder.events.map((e) => e.type);
    const order = [
      'session.created',
      'message.user',
      'message.assistant',
      'tool_call.dispatched',
      // The decision on the result is recorded first, then carried out.
      'decision',
      'tool_call.resolved',
      'message.assistant',
    ];
    expect(types.filter((t) => order.includes(t))).toEqual(order);
    expect(recorder.events.map((e) => e.seq)).toEqual(recorder.events.map((_, i) => i + 1));
    const ids = recorder.events.map((e) => e.id);
    expect([...ids].sort()).toEqual(ids);
    const details = await client.sessions.get.query({ sessionId: session.id });
    expect(details.session.run).toEqual({ status: 'idle' });
    expect(details.messages.map((m) => m.body.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
  });

  it('serves /healthz and Prometheus metrics: decisions by kind, tool round trips, runs by state', async () => {
    const health = await fetch(`${scenario.runtime.url}/healthz`);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      database: databaseUrl ? 'postgres' : 'pglite',
    });
    const metrics = await (await fetch(`${scenario.runtime.url}/metrics`)).text();
    expect(metrics).toMatch(/baton_decisions_total\{kind="continue_agent"\} [1-9]/);
    expect(metrics).toMatch(/baton_tool_round_trip_seconds_count [1-9]/);
    expect(metrics).toMatch(/baton_model_step_seconds_count\{agent="ask",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/baton_runs\{state="idle"\} [1-9]/);
    expect(metrics).toMatch(/baton_db_queries_total [1-9]/);
    expect(metrics).toMatch(/baton_db_transactions_total [1-9]/);
  });

  it('2. three parallel calls answered 3,1,2: the agent continues once, after the third, seeing all three', async () => {
    const { client } = scenario;
    const session = await client.sessions.create.mutate({ title: 'parallel', agent: 'coder' });
    const recorder = recordEvents(client, session.id);
    await client.messages.send.mutate({ sessionId: session.id, content: 'Read a, b and c.' });
    const isDispatch = (e: SessionEvent) => e.type === 'tool_call.dispatched';
    await recorder.waitFor(() => recorder.events.filter(isDispatch).length === 3);
    const calls = recorder.events
      .filter(isDispatch)
      .map((e) => (e.type === 'tool_call.dispatched' ? e.data : null));
    expect(calls.map((c) => c?.arguments)).toEqual([
      { path: 'a.ts' },
      { path: 'b.ts' },
      { path: 'c.ts' },
    ]);
    const decisions: string[] = [];
    for (const index of [2, 0, 1]) {
      const call = calls[index];
      if (!call) throw new Error('missing call');
      const answer = await client.toolResults.submit.mutate({
        sessionId: session.id,
        callId: call.callId,
        result: `content of ${String((call.arguments as { path: string }).path)}`,
      });
      decisions.push(answer.decision);
    }
    expect(decisions).toEqual(['wait_for_siblings', 'wait_for_siblings', 'continue_agent']);
    const last = recorder.events.at(-1)?.seq ?? 0;
    await recorder.waitFor(runIdleAfter(last - 1));
    recorder.close();
    const details = await client.sessions.get.query({ sessionId: session.id });
    const bodies = details.messages.map((m) => m.body);
    // One continuation: exactly two assistant messages, and the second comes after all three results.
    expect(bodies.map((b) => b.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'tool',
      'tool',
      'assistant',
    ]);
    expect(
      bodies.filter((b) => b.role === 'tool').map((b) => (b.role === 'tool' ? b.callId : '')),
    ).toEqual(calls.map((c) => c?.callId));
    const steps = recorder.events.filter(
      (e) => e.type === 'run.state' && e.data.to === 'model_step',
    );
    expect(steps).toHaveLength(2);
  });
});
