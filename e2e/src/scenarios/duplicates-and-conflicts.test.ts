import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBatonClient } from '@baton/client';
import { backends } from '../harness/backends';
import { eventsOf, isModelStep } from '../harness/event-data';
import { recordEvents, runIdleAfter } from '../harness/events';
import { refusal, refusalOf, withoutEventCounter } from '../harness/refusals';
import type { Scenario } from '../harness/scenario';
import { startScenario } from '../harness/scenario';

const read = (path: string) => ({ name: 'read_file', arguments: { path } });
const MAX_RESULT_BYTES = 2048;

describe.each(backends(inject('databaseUrl')))('on $kind', ({ databaseUrl }) => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await startScenario({
      databaseUrl,
      script: {
        agents: {
          ask: [
            { text: 'Reading two files.', toolCalls: [read('a.md'), read('b.md')] },
            { text: 'Both read.' },
          ],
        },
      },
      env: { BATON_MAX_RESULT_BYTES: String(MAX_RESULT_BYTES) },
    });
  });
  afterAll(() => scenario.close());

  /** A new session whose run waits on the two reads of its first step. */
  async function awaitingTwoReads(title: string) {
    const { client } = scenario;
    const session = await client.sessions.create.mutate({ title, agent: 'ask' });
    const recorder = recordEvents(client, session.id);
    await client.messages.send.mutate({ sessionId: session.id, content: 'Read a.md and b.md.' });
    await recorder.waitFor(() => eventsOf(recorder.events, 'tool_call.dispatched').length === 2);
    const [first, second] = eventsOf(recorder.events, 'tool_call.dispatched');
    if (!first || !second) throw new Error('two calls were dispatched');
    return { sessionId: session.id, recorder, first, second };
  }

  it('4. ten concurrent identical submissions of the last result: one continuation, nine duplicate_ignored records, all ten get the same decision', async () => {
    const { client } = scenario;
    const { sessionId, recorder, first, second } = await awaitingTwoReads('duplicate storm');
    const firstAnswer = await client.toolResults.submit.mutate({
      sessionId,
      callId: first.data.callId,
      result: 'a',
    });
    expect(firstAnswer).toEqual({ decision: 'wait_for_siblings', duplicate: false });

    // Ten callers, each with its own connection: ten separate HTTP requests at once, not one batch.
    const callers = Array.from({ length: 10 }, () =>
      createBatonClient({ url: scenario.runtime.url, token: scenario.tokens.client }),
    );
    const answers = await Promise.all(
      callers.map((caller) =>
        caller.toolResults.submit.mutate({
          sessionId,
          callId: second.data.callId,
          result: { text: 'b', lines: 1 },
        }),
      ),
    );
    expect(answers.map((a) => a.decision)).toEqual(Array(10).fill('continue_agent'));
    expect(answers.filter((a) => a.duplicate)).toHaveLength(9);

    await recorder.waitFor(runIdleAfter(second.seq));
    const details = await client.sessions.get.query({ sessionId });
    await recorder.waitFor((e) => e.seq === details.session.lastSeq);
    recorder.close();

    const duplicates = await client.decisions.list.query({ sessionId, kind: 'duplicate_ignored' });
    expect(duplicates.items).toHaveLength(9);
    expect(duplicates.items.map((d) => d.callId)).toEqual(Array(9).fill(second.data.callId));
    const continued = await client.decisions.list.query({ sessionId, kind: 'continue_agent' });
    expect(continued.items.map((d) => d.callId)).toEqual([second.data.callId]);
    // One continuation: the first step and exactly one more, with one assistant message each.
    expect(recorder.events.filter(isModelStep)).toHaveLength(2);
    expect(details.messages.map((m) => m.body.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'tool',
      'assistant',
    ]);
    expect(details.calls.find((c) => c.id === second.data.callId)?.outcome).toEqual({
      type: 'result',
      value: { text: 'b', lines: 1 },
    });
    expect(details.session.run).toEqual({ status: 'idle' });
  });

  it('5. a different result for a resolved call is refused with CONFLICT and changes nothing but its conflict_rejected record', async () => {
    const { client } = scenario;
    const { sessionId, recorder, first, second } = await awaitingTwoReads('conflict');
    await client.toolResults.submit.mutate({ sessionId, callId: first.data.callId, result: 'a' });
    await client.toolResults.submit.mutate({ sessionId, callId: second.data.callId, result: 'b' });
    await recorder.waitFor(runIdleAfter(second.seq));
    const before = await client.sessions.get.query({ sessionId });

    const different = await refusal(
      client.toolResults.submit.mutate({ sessionId, callId: first.data.callId, result: 'not a' }),
    );
    expect(different.code).toBe('CONFLICT');
    expect(different.message).toContain(first.data.callId);
    const asError = await refusal(
      client.toolResults.submit.mutate({ sessionId, callId: first.data.callId, error: 'ENOENT' }),
    );
    expect(asError.code).toBe('CONFLICT');

    const after = await client.sessions.get.query({ sessionId });
    expect(withoutEventCounter(after)).toEqual(withoutEventCounter(before));
    // The only trace: one `decision` event per refusal, each recording conflict_rejected.
    expect(after.session.lastSeq).toBe(before.session.lastSeq + 2);
    await recorder.waitFor((e) => e.seq === after.session.lastSeq);
    recorder.close();
    const traces = recorder.events.filter((e) => e.seq > before.session.lastSeq);
    expect(
      traces.map((e) => (e.type === 'decision' ? [e.data.kind, e.data.callId] : e.type)),
    ).toEqual([
      ['conflict_rejected', first.data.callId],
      ['conflict_rejected', first.data.callId],
    ]);
    const conflicts = await client.decisions.list.query({ sessionId, kind: 'conflict_rejected' });
    expect(conflicts.items).toHaveLength(2);
    // The original payload, sent again, is still a duplicate with the original outcome.
    const again = await client.toolResults.submit.mutate({
      sessionId,
      callId: first.data.callId,
      result: 'a',
    });
    expect(again).toEqual({ decision: 'wait_for_siblings', duplicate: true });
  });

  it('ten concurrent different results for the last open call: one is accepted and continues once, nine are CONFLICT', async () => {
    const { client } = scenario;
    const { sessionId, recorder, first, second } = await awaitingTwoReads('conflict storm');
    await client.toolResults.submit.mutate({ sessionId, callId: first.data.callId, result: 'a' });
    const callers = Array.from({ length: 10 }, () =>
      createBatonClient({ url: scenario.runtime.url, token: scenario.tokens.client }),
    );
    const outcomes = await Promise.allSettled(
      callers.map((caller, i) =>
        caller.toolResults.submit.mutate({
          sessionId,
          callId: second.data.callId,
          result: `b${i}`,
        }),
      ),
    );
    const accepted = outcomes.flatMap((o, i) =>
      o.status === 'fulfilled' ? [{ i, ...o.value }] : [],
    );
    expect(accepted.map((a) => [a.decision, a.duplicate])).toEqual([['continue_agent', false]]);
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [refusalOf(o.reason)] : []));
    expect(refused.map((r) => r.code)).toEqual(Array(9).fill('CONFLICT'));

    await recorder.waitFor(runIdleAfter(second.seq));
    const details = await client.sessions.get.query({ sessionId });
    await recorder.waitFor((e) => e.seq === details.session.lastSeq);
    recorder.close();
    expect(recorder.events.filter(isModelStep)).toHaveLength(2);
    expect(details.calls.find((c) => c.id === second.data.callId)?.outcome).toEqual({
      type: 'result',
      value: `b${accepted[0]?.i}`,
    });
    const conflicts = await client.decisions.list.query({ sessionId, kind: 'conflict_rejected' });
    expect(conflicts.items).toHaveLength(9);
  });

  it('a submission with both result and error is BAD_REQUEST, one over BATON_MAX_RESULT_BYTES is PAYLOAD_TOO_LARGE; neither changes anything', async () => {
    const { client } = scenario;
    const { sessionId, recorder, first, second } = await awaitingTwoReads('refused submissions');
    const before = await client.sessions.get.query({ sessionId });
    const decisionsBefore = await client.decisions.list.query({ sessionId });

    const both = await refusal(
      client.toolResults.submit.mutate({
        sessionId,
        callId: first.data.callId,
        result: 'a',
        error: 'boom',
      }),
    );
    expect(both.code).toBe('BAD_REQUEST');
    expect(both.fields).toContain('result');
    expect(both.message).toContain('exactly one of result and error');
    const neither = await refusal(
      client.toolResults.submit.mutate({ sessionId, callId: first.data.callId }),
    );
    expect(neither.code).toBe('BAD_REQUEST');

    const oversized = 'x'.repeat(MAX_RESULT_BYTES + 1000);
    const tooLarge = await refusal(
      client.toolResults.submit.mutate({ sessionId, callId: first.data.callId, result: oversized }),
    );
    expect(tooLarge.code).toBe('PAYLOAD_TOO_LARGE');
    expect(tooLarge.message).toContain('BATON_MAX_RESULT_BYTES');
    const tooLargeError = await refusal(
      client.toolResults.submit.mutate({ sessionId, callId: first.data.callId, error: oversized }),
    );
    expect(tooLargeError.code).toBe('PAYLOAD_TOO_LARGE');

    expect(await client.sessions.get.query({ sessionId })).toEqual(before);
    expect(await client.decisions.list.query({ sessionId })).toEqual(decisionsBefore);
    // The call is still open and takes its real result.
    const a = await client.toolResults.submit.mutate({
      sessionId,
      callId: first.data.callId,
      result: 'a',
    });
    const b = await client.toolResults.submit.mutate({
      sessionId,
      callId: second.data.callId,
      result: 'b',
    });
    expect([a.decision, b.decision]).toEqual(['wait_for_siblings', 'continue_agent']);
    await recorder.waitFor(runIdleAfter(second.seq));
    recorder.close();
  });
});
