import type { SessionInput } from '@baton/domain';
import { sequentialIds } from '@baton/domain';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { applyInput } from './repo/apply-input';
import { listDecisions } from './repo/decisions';
import { listContextMessages } from './repo/messages';
import { getSession } from './repo/session-views';
import { createSession } from './repo/sessions';
import { decisions, events, leases, messages, sessions, toolCalls } from './schema';
import { testBackends, useTestDatabase } from './testing/backends';
import type { Clock } from './testing/fixtures';
import {
  apply,
  contextsOf,
  decideAt,
  newSession,
  sessionAwaitingOneCall,
  stepDone,
  testClock,
} from './testing/fixtures';
import { advanceMirror, createMirror, expectStoredAsMirror } from './testing/mirror';

describe.each(testBackends(inject('databaseUrl')))('applyInput on $kind', (backend) => {
  const t = useTestDatabase(backend);
  let clock: Clock;
  beforeAll(() => {
    clock = testClock();
  });

  it('drives a whole session with a plan and stores exactly what the domain decided', async () => {
    const { database } = t;
    const created = await createSession(database, { title: 'drive', ctx: { now: clock.now } });
    const sessionId = created.session.id;
    const mirror = createMirror({ id: sessionId, title: 'drive', now: clock.now, idPrefix: 'id-' });
    const dbIds = sequentialIds('id-');
    const step = async (input: SessionInput) => {
      clock.now += 1000;
      const expected = advanceMirror(mirror, input, clock.now);
      const applied = await apply(database, { sessionId, clock, input, newId: dbIds });
      expect(applied.result.outcome).toEqual(expected.outcome);
      expect(applied.result.effects).toEqual(expected.effects);
      expect(applied.events.map((e) => e.type)).toEqual(expected.events.map((e) => e.type));
      await expectStoredAsMirror(database, mirror);
      return applied;
    };
    const callsOf = (name: string) =>
      Object.values(mirror.state.calls).filter((call) => call.name === name);
    const result = (callId: string, value: string): SessionInput => ({
      type: 'tool_result',
      callId,
      outcome: { type: 'result', value },
    });

    let applied = await step({ type: 'user_message', text: 'Add a feature' });
    await step(
      stepDone(applied, 'Looking around', [
        { name: 'read_file', arguments: { path: 'a.ts' } },
        { name: 'read_file', arguments: { path: 'b.ts' } },
        { name: 'list_files', arguments: { path: '.' } },
      ]),
    );
    const [a, b] = callsOf('read_file');
    const [list] = callsOf('list_files');
    expect((await step(result(list!.id, 'a.ts b.ts'))).result.outcome).toMatchObject({
      decision: 'wait_for_siblings',
    });
    await step(result(a!.id, 'export const a = 1;'));
    applied = await step(result(b!.id, 'export const b = 2;'));
    expect(applied.result.outcome).toMatchObject({ decision: 'continue_agent' });
    await step(
      stepDone(applied, 'Here is a plan', [
        {
          name: 'create_plan',
          arguments: {
            goal: 'Ship the feature',
            subtasks: [
              { title: 'Write it', description: 'Write c.ts', agent: 'coder', dependsOn: [] },
              { title: 'Check it', description: 'Look at c.ts', agent: 'debug', dependsOn: [0] },
            ],
          },
        },
      ]),
    );
    const plan = Object.values(mirror.state.plans)[0]!;
    expect(plan.status).toBe('awaiting_approval');
    applied = await step({ type: 'plan_decision', planId: plan.id, decision: 'approve', by: 'op' });
    await step(
      stepDone(applied, 'Writing', [
        { name: 'write_file', arguments: { path: 'c.ts', content: 'export {}' } },
        { name: 'read_file', arguments: { path: 'c.ts' } },
      ]),
    );
    const [write] = callsOf('write_file');
    expect(write!.status).toBe('awaiting_approval');
    await step({
      type: 'approval_decision',
      approvalId: write!.approvalId!,
      decision: 'approve',
      by: 'op',
    });
    await step(result(write!.id, 'written'));
    applied = await step(result(callsOf('read_file')[2]!.id, 'export {}'));
    expect(applied.result.outcome).toMatchObject({ decision: 'resume_subtask' });
    applied = await step(
      stepDone(applied, 'Done', [
        { name: 'attempt_completion', arguments: { result: 'c.ts written' } },
      ]),
    );
    applied = await step(stepDone(applied, 'c.ts looks right.'));
    expect(mirror.state.plans[plan.id]!.status).toBe('completed');
    applied = await step(stepDone(applied, 'The feature is in c.ts.'));
    expect(applied.result.state.session.run.status).toBe('idle');
    expect(mirror.state.session.agent).toBe('orchestrator');
    for (const subtaskId of [null, ...plan.subtasks.map((s) => s.id)]) {
      expect(await listContextMessages(database.db, { sessionId, subtaskId })).toEqual(
        mirror.messages.filter((m) => m.subtaskId === subtaskId),
      );
    }
  });

  it('answers a session of another client exactly as a missing one, and writes nothing', async () => {
    const { database } = t;
    const sessionId = await newSession(database, clock, { clientId: 'client-a' });
    const input: SessionInput = { type: 'user_message', text: 'hi' };
    const base = {
      input,
      decide: decideAt(input, clock.now),
      now: clock.now,
      holder: 'w',
      contexts: contextsOf(database),
    };
    expect(
      await applyInput(database, { ...base, sessionId, access: { clientId: 'client-b' } }),
    ).toEqual({ notFound: true });
    expect(await applyInput(database, { ...base, sessionId: 'session_nope' })).toEqual({
      notFound: true,
    });
    expect(await database.db.$count(messages, eq(messages.sessionId, sessionId))).toBe(0);
    const own = await applyInput(database, {
      ...base,
      sessionId,
      access: { clientId: 'client-a' },
    });
    expect(own.notFound).toBe(false);
    const operator = await applyInput(database, {
      ...base,
      input: { type: 'cancel_run', reason: 'stop', by: 'op' },
      decide: decideAt({ type: 'cancel_run', reason: 'stop', by: 'op' }, clock.now),
      sessionId,
      access: { clientId: null },
    });
    expect(operator.notFound).toBe(false);
  });

  it('commits a refused input as its decision and nothing else, not even as activity', async () => {
    const { database } = t;
    const { sessionId, callId } = await sessionAwaitingOneCall(database, clock);
    await apply(database, {
      sessionId,
      clock,
      input: { type: 'tool_result', callId, outcome: { type: 'result', value: 'one' } },
    });
    const refusals: [SessionInput, string, string][] = [
      [
        { type: 'tool_result', callId, outcome: { type: 'result', value: 'two' } },
        'CONFLICT',
        'conflict_rejected',
      ],
      [
        { type: 'tool_result', callId: 'call_404', outcome: { type: 'result', value: 'x' } },
        'NOT_FOUND',
        'unknown_call_rejected',
      ],
    ];
    for (const [input, code, kind] of refusals) {
      const before = await getSession(database.db, { sessionId });
      clock.now += 1000;
      const refused = await apply(database, { sessionId, clock, input });
      expect(refused.result.outcome).toMatchObject({ ok: false, code });
      expect(refused.events.map((e) => e.type)).toEqual(['decision']);
      const after = await getSession(database.db, { sessionId });
      const { lastSeq, ...sessionAfter } = after!.session;
      const { lastSeq: lastSeqBefore, ...sessionBefore } = before!.session;
      // Only the decision's own event moves the counter; lastActivityAt stays where it was.
      expect(sessionAfter).toEqual(sessionBefore);
      expect(lastSeq).toBe(lastSeqBefore + 1);
      expect({ ...after, session: null }).toEqual({ ...before, session: null });
      const logged = await listDecisions(database.db, { sessionId, limit: 1 });
      expect(logged.items[0]).toMatchObject({ kind });
    }
  });

  it('leaves nothing behind when its transaction fails halfway through', async () => {
    const { database } = t;
    const sessionId = await newSession(database, clock);
    const counts = async () => ({
      messages: await database.db.$count(messages, eq(messages.sessionId, sessionId)),
      decisions: await database.db.$count(decisions, eq(decisions.sessionId, sessionId)),
      events: await database.db.$count(events, eq(events.sessionId, sessionId)),
      calls: await database.db.$count(toolCalls, eq(toolCalls.sessionId, sessionId)),
      leases: await database.db.$count(leases, eq(leases.sessionId, sessionId)),
      session: await database.db.select().from(sessions).where(eq(sessions.id, sessionId)),
    });
    const before = await counts();
    // The message id collides with a stored one: the insert fails after the session was read
    // and locked, the domain decided, and earlier writes of the same transaction were made.
    await database.db.insert(messages).values({
      id: 'taken-message-2',
      sessionId: await newSession(database, clock),
      body: { role: 'user', text: 'elsewhere' },
      at: new Date(clock.now),
    });
    await expect(
      apply(database, {
        sessionId,
        clock,
        input: { type: 'user_message', text: 'hello' },
        newId: sequentialIds('taken-'),
      }),
    ).rejects.toThrow();
    expect(await counts()).toEqual(before);
    const retried = await apply(database, {
      sessionId,
      clock,
      input: { type: 'user_message', text: 'hello' },
    });
    expect(retried.result.outcome).toEqual({ ok: true });
  });

  it('replays a repeated send with the same idempotency key instead of starting a second run', async () => {
    const { database } = t;
    const sessionId = await newSession(database, clock);
    const send = () =>
      apply(database, {
        sessionId,
        clock,
        input: { type: 'user_message', text: 'once' },
        idempotencyKey: 'key-1',
      });
    const first = await send();
    const again = await send();
    expect(first.replayedMessageId).toBeNull();
    expect(again.replayedMessageId).toBe(first.result.messages[0]!.id);
    expect(again.result.outcome).toEqual({ ok: true, duplicate: true });
    expect(again.events).toEqual([]);
    expect(await database.db.$count(messages, eq(messages.sessionId, sessionId))).toBe(1);
    const other = await apply(database, {
      sessionId,
      clock,
      input: { type: 'user_message', text: 'twice' },
      idempotencyKey: 'key-2',
    });
    expect(other.result.outcome).toMatchObject({ ok: false, code: 'CONFLICT' });
  });

  it('writes the lease of every step it starts, in the same transaction', async () => {
    const { database } = t;
    const sessionId = await newSession(database, clock);
    const started = await apply(database, {
      sessionId,
      clock,
      holder: 'worker-z',
      leaseMs: 5000,
      input: { type: 'user_message', text: 'go' },
    });
    const run = started.result.state.session.run;
    const [lease] = await database.db.select().from(leases).where(eq(leases.sessionId, sessionId));
    expect(lease).toEqual({
      sessionId,
      stepId: run.status === 'model_step' ? run.stepId : null,
      fence: 1,
      holder: 'worker-z',
      expiresAt: new Date(clock.now + 5000),
    });
  });

  it('accepts one of 20 concurrent identical results, over separate connections, and continues once', async () => {
    const { database } = t;
    const { sessionId, callId } = await sessionAwaitingOneCall(database, clock);
    const connections = await Promise.all(Array.from({ length: 20 }, () => t.connect()));
    const input: SessionInput = {
      type: 'tool_result',
      callId,
      outcome: { type: 'result', value: 'contents of a.ts' },
    };
    const applied = await Promise.all(
      connections.map((connection, i) =>
        applyInput(connection, {
          sessionId,
          input,
          decide: decideAt(input, clock.now),
          now: clock.now,
          holder: `worker-${i}`,
          contexts: contextsOf(connection),
        }),
      ),
    );
    const outcomes = applied.map((a) => (a.notFound ? null : a.result.outcome));
    expect(outcomes.filter((o) => o?.ok && !o.duplicate)).toEqual([
      { ok: true, decision: 'continue_agent', duplicate: false },
    ]);
    expect(outcomes.filter((o) => o?.ok && o.duplicate)).toHaveLength(19);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ decision: 'continue_agent' });
    const effects = applied.flatMap((a) => (a.notFound ? [] : a.result.effects));
    expect(effects.map((e) => e.type)).toEqual(['run_model_step']);

    const logged = await listDecisions(database.db, { sessionId, limit: 100 });
    const kinds = logged.items.filter((d) => d.callId === callId).map((d) => d.kind);
    expect(kinds.filter((k) => k === 'continue_agent')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'duplicate_ignored')).toHaveLength(19);
    const stored = await getSession(database.db, { sessionId });
    const toolMessages = stored!.messages.filter((m) => m.body.role === 'tool');
    expect(toolMessages).toHaveLength(1);
    expect(stored!.session.run.status).toBe('model_step');
  });

  it('starts one run for concurrent sends with the same idempotency key, and tells each the same message', async () => {
    const { database } = t;
    const sessionId = await newSession(database, clock);
    const connections = await Promise.all(Array.from({ length: 5 }, () => t.connect()));
    const sent = await Promise.all(
      connections.map((connection) =>
        apply(connection, {
          sessionId,
          clock,
          input: { type: 'user_message', text: 'once only' },
          idempotencyKey: 'same-key',
        }),
      ),
    );
    const firsts = sent.filter((s) => s.replayedMessageId === null);
    expect(firsts).toHaveLength(1);
    const messageId = firsts[0]!.result.messages[0]!.id;
    expect(sent.filter((s) => s.replayedMessageId === messageId)).toHaveLength(4);
    expect(sent.flatMap((s) => s.result.effects)).toHaveLength(1);
    expect(await database.db.$count(messages, eq(messages.sessionId, sessionId))).toBe(1);
  });
});
