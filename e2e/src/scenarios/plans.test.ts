import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backends } from '../harness/backends';
import { eventsOf, isModelStep } from '../harness/event-data';
import { runIdleAfter } from '../harness/events';
import { actAsClient, createPlan, planAwaitingDecision, planStatus } from '../harness/plan-client';
import { withoutEventCounter } from '../harness/refusals';
import type { Scenario } from '../harness/scenario';
import { startScenario } from '../harness/scenario';

const read = (path: string) => ({ name: 'read_file', arguments: { path } });
const CODER_RESULT = 'Read src/a.ts and src/b.ts and listed src/.';
const DEBUG_RESULT = 'Ran npm test: all green.';

describe.each(backends(inject('databaseUrl')))('on $kind', ({ databaseUrl }) => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await startScenario({
      databaseUrl,
      script: {
        agents: {
          orchestrator: [
            {
              text: 'Three steps.',
              toolCalls: [
                createPlan('Parser, printer, tests', [
                  { title: 'Write the parser', agent: 'coder', dependsOn: [] },
                  { title: 'Write the printer', agent: 'coder', dependsOn: [0] },
                  { title: 'Run the tests', agent: 'debug', dependsOn: [1] },
                ]),
              ],
            },
            { text: 'The parser and printer are written and the tests pass.' },
          ],
          coder: [
            { text: 'Reading.', toolCalls: [read('src/a.ts'), read('src/b.ts')] },
            { toolCalls: [{ name: 'list_files', arguments: { path: 'src' } }] },
            { toolCalls: [{ name: 'attempt_completion', arguments: { result: CODER_RESULT } }] },
          ],
          debug: [
            { toolCalls: [{ name: 'execute_command', arguments: { command: 'npm test' } }] },
            { toolCalls: [read('test-output.log')] },
            { toolCalls: [{ name: 'attempt_completion', arguments: { result: DEBUG_RESULT } }] },
          ],
        },
      },
    });
  });
  afterAll(() => scenario.close());

  it('3. an approved plan of coder, coder, debug runs its subtasks in order, each resumed by its own results, with no agent switch', async () => {
    const { client } = scenario;
    const { sessionId, recorder, planId, created } = await planAwaitingDecision(
      scenario,
      'three subtasks',
    );
    expect(created.data.subtasks.map((s) => [s.agent, s.dependsOn])).toEqual([
      ['coder', []],
      ['coder', [0]],
      ['debug', [1]],
    ]);
    expect((await client.plans.decide.mutate({ planId, decision: 'approve' })).status).toBe(
      'in_progress',
    );

    const { answered, end } = await actAsClient(
      scenario,
      sessionId,
      recorder,
      planStatus('completed'),
    );
    await recorder.waitFor(runIdleAfter(end.seq));
    recorder.close();

    const ids = created.data.subtasks.map((s) => s.subtaskId);
    const indexOf = (id: string | undefined) => ids.indexOf(id ?? '');
    expect(
      eventsOf(recorder.events, 'subtask.status').map((e) => [
        indexOf(e.data.subtaskId),
        e.data.status,
      ]),
    ).toEqual([
      [0, 'running'],
      [0, 'completed'],
      [1, 'running'],
      [1, 'completed'],
      [2, 'running'],
      [2, 'completed'],
    ]);
    // Every call came from a subtask, and each result resumed that subtask (after its step's last call).
    const coderCalls = [
      ['read_file', 'wait_for_siblings'],
      ['read_file', 'resume_subtask'],
      ['list_files', 'resume_subtask'],
    ];
    expect(
      [0, 1, 2].map((i) =>
        answered.filter((a) => indexOf(a.subtaskId) === i).map((a) => [a.name, a.decision]),
      ),
    ).toEqual([
      coderCalls,
      coderCalls,
      [
        ['execute_command', 'resume_subtask'],
        ['read_file', 'resume_subtask'],
      ],
    ]);
    expect(answered).toHaveLength(8);
    expect(eventsOf(recorder.events, 'agent.switched')).toEqual([]);

    const done = await client.plans.get.query({ planId });
    expect(done.status).toBe('completed');
    expect(done.subtasks.map((s) => [s.status, s.result])).toEqual([
      ['completed', CODER_RESULT],
      ['completed', CODER_RESULT],
      ['completed', DEBUG_RESULT],
    ]);
    const details = await client.sessions.get.query({ sessionId });
    expect(details.session).toMatchObject({
      agent: 'orchestrator',
      run: { status: 'idle' },
      activePlanId: null,
    });
    // Subtask 2's own context opens with a brief holding subtask 1's result, not the session history.
    const contextOf = (index: number) => details.messages.filter((m) => m.subtaskId === ids[index]);
    const brief = contextOf(1)[0]?.body;
    expect(brief?.role).toBe('user');
    expect(brief?.role === 'user' && brief.text).toContain(
      `- [0] Write the parser (coder): ${CODER_RESULT}`,
    );
    expect(brief?.role === 'user' && brief.text).not.toContain('Plan it, please.');
    const debugBrief = contextOf(2)[0]?.body;
    expect(debugBrief?.role === 'user' && debugBrief.text).toContain(
      `- [1] Write the printer (coder): ${CODER_RESULT}`,
    );
    expect(contextOf(1).map((m) => m.body.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'tool',
      'assistant',
      'tool',
      'assistant',
      'tool',
    ]);
    // The session's own history: the plan, its approval, the report and the orchestrator's summary.
    expect(details.messages.filter((m) => m.subtaskId === null).map((m) => m.body.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'user',
      'assistant',
    ]);
    expect(
      (await client.decisions.list.query({ sessionId, kind: 'continue_agent' })).items,
    ).toEqual([]);
    expect(
      (await client.decisions.list.query({ sessionId, kind: 'plan_advanced' })).items,
    ).toHaveLength(2);
    expect(
      (await client.decisions.list.query({ sessionId, kind: 'plan_completed' })).items,
    ).toHaveLength(1);
  });

  it('6. a result arriving after plans.cancel is recorded as late and continues nothing', async () => {
    const { client } = scenario;
    const { sessionId, recorder, planId } = await planAwaitingDecision(scenario, 'cancelled plan');
    await client.plans.decide.mutate({ planId, decision: 'approve' });
    await recorder.waitFor(() => eventsOf(recorder.events, 'tool_call.dispatched').length === 2);
    const [first] = eventsOf(recorder.events, 'tool_call.dispatched');
    if (!first) throw new Error('the first subtask dispatched its reads');

    const cancelled = await client.plans.cancel.mutate({ planId, reason: 'changed my mind' });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.subtasks.map((s) => s.status)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    const before = await client.sessions.get.query({ sessionId });
    expect(before.session.run).toEqual({ status: 'idle' });
    expect(before.calls.filter((c) => c.owner.kind === 'subtask').map((c) => c.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    await recorder.waitFor((e) => e.seq === before.session.lastSeq);
    const stepsBefore = recorder.events.filter(isModelStep).length;

    const late = await client.toolResults.submit.mutate({
      sessionId,
      callId: first.data.callId,
      result: 'too late',
    });
    expect(late).toEqual({ decision: 'late_result_recorded', duplicate: false });
    const after = await client.sessions.get.query({ sessionId });
    expect(withoutEventCounter(after)).toEqual(withoutEventCounter(before));
    // Its decision is the only event it caused: no model step, no message, no plan move.
    expect(after.session.lastSeq).toBe(before.session.lastSeq + 1);
    const trace = await recorder.waitFor((e) => e.seq === after.session.lastSeq);
    recorder.close();
    expect(trace).toMatchObject({
      type: 'decision',
      data: { kind: 'late_result_recorded', callId: first.data.callId },
    });
    expect(recorder.events.filter(isModelStep)).toHaveLength(stepsBefore);
    const recorded = await client.decisions.list.query({
      sessionId,
      kind: 'late_result_recorded',
    });
    // Kept for audit as its size, digest and prefix (issue 11: never a refused payload whole).
    const text = JSON.stringify({ type: 'result', value: 'too late' });
    expect(recorded.items).toMatchObject([
      {
        callId: first.data.callId,
        input: {
          outcomeType: 'result',
          chars: text.length,
          digest: createHash('sha256').update(text).digest('hex'),
          prefix: text,
        },
      },
    ]);
  });
});
