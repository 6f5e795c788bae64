import { describe, it, expect } from 'vitest';
import type { AgentName } from './agents';
import type { DomainConfig } from './context';
import type { DomainEvent } from './events';
import type { SessionInput } from './inputs';
import type { TransitionResult } from './outcome';
import type { World } from './testing/world';
import { createWorld, step } from './testing/world';

type EventOf<K extends DomainEvent['type']> = Extract<DomainEvent, { type: K }>;
function data<K extends DomainEvent['type']>(
  events: readonly DomainEvent[],
  type: K,
): EventOf<K>['data'][] {
  return events
    .filter((e): e is EventOf<K> => e.type === type)
    .map((e) => e.data as EventOf<K>['data']);
}
const kinds = (r: TransitionResult): string[] => r.decisions.map((d) => d.kind);

/** `agent` asked to write `path`; returns the world, the approval and the call it gates. */
function gatedWrite(
  path = 'src/a.ts',
  agent: AgentName = 'coder',
  config: Partial<DomainConfig> = {},
) {
  const world = createWorld(config);
  world.apply({ type: 'user_message', text: 'go', agent });
  const r = step(world, '', [{ name: 'write_file', arguments: { path, content: 'v1' } }]);
  const [requested] = data(r.events, 'approval.requested');
  if (!requested) throw new Error('no approval requested');
  return { world, r, approvalId: requested.approvalId, callId: requested.callId ?? '' };
}

function decide(
  approvalId: string,
  decision: 'approve' | 'reject' | 'edit',
  extra: { arguments?: Record<string, string>; feedback?: string } = {},
): SessionInput {
  return { type: 'approval_decision', approvalId, decision, by: 'alice', ...extra };
}

function expectRefused(world: World, input: SessionInput, code: string): TransitionResult {
  const before = world.state;
  const r = world.apply(input);
  expect(r.outcome).toMatchObject({ ok: false, code });
  expect(r.state).toEqual(before);
  expect(r.effects).toEqual([]);
  expect(r.messages).toEqual([]);
  return r;
}

describe('a gated tool call', () => {
  it('is held for approval and not dispatched', () => {
    const { world, r, approvalId, callId } = gatedWrite();
    expect(data(r.events, 'approval.requested')).toEqual([
      {
        approvalId,
        kind: 'tool',
        callId,
        name: 'write_file',
        arguments: { path: 'src/a.ts', content: 'v1' },
        agent: 'coder',
      },
    ]);
    expect(data(r.events, 'tool_call.dispatched')).toEqual([]);
    expect(world.state.calls[callId]).toMatchObject({ status: 'awaiting_approval', approvalId });
    expect(r.state.session.run.status).toBe('awaiting_approval');
  });

  it('is dispatched, with its arguments, once approved', () => {
    const { world, approvalId, callId } = gatedWrite();
    const r = world.apply(decide(approvalId, 'approve'));
    expect(r.outcome).toEqual({ ok: true, duplicate: false });
    expect(kinds(r)).toEqual(['approval_granted']);
    expect(data(r.events, 'approval.decided')).toEqual([
      { approvalId, kind: 'tool', status: 'approved', callId },
    ]);
    expect(data(r.events, 'tool_call.dispatched')).toEqual([
      expect.objectContaining({ callId, arguments: { path: 'src/a.ts', content: 'v1' } }),
    ]);
    expect(r.state.session.run.status).toBe('awaiting_tools');
    const done = world.apply({
      type: 'tool_result',
      callId,
      outcome: { type: 'result', value: 'ok' },
    });
    expect(kinds(done)).toEqual(['continue_agent']);
  });

  it('edited is dispatched with the edited arguments, which are stored', () => {
    const { world, approvalId, callId } = gatedWrite();
    const edited = { path: 'src/b.ts', content: 'v2' };
    const r = world.apply(decide(approvalId, 'edit', { arguments: edited }));
    expect(kinds(r)).toEqual(['approval_granted']);
    expect(data(r.events, 'tool_call.dispatched')).toEqual([
      expect.objectContaining({ callId, arguments: edited }),
    ]);
    expect(r.state.approvals[approvalId]).toMatchObject({
      status: 'edited',
      answer: 'edit',
      editedArguments: edited,
    });
    expect(r.state.calls[callId]).toMatchObject({
      arguments: { path: 'src/a.ts', content: 'v1' },
      dispatchedArguments: edited,
    });
  });

  it('edited with invalid arguments is refused with BAD_REQUEST naming the field, and nothing changes', () => {
    const { world, approvalId } = gatedWrite();
    const r = expectRefused(
      world,
      decide(approvalId, 'edit', { arguments: { path: 'a' } }),
      'BAD_REQUEST',
    );
    expect(r.outcome.ok === false && r.outcome.message).toContain('content: ');
    expect(r.decisions).toEqual([]);
    expect(r.events).toEqual([]);
    expectRefused(world, decide(approvalId, 'edit'), 'BAD_REQUEST');
  });

  it('of the architect cannot be edited to write outside *.md', () => {
    const { world, approvalId } = gatedWrite('docs/a.md', 'architect');
    const r = expectRefused(
      world,
      decide(approvalId, 'edit', { arguments: { path: 'src/a.ts', content: 'x' } }),
      'BAD_REQUEST',
    );
    expect(r.outcome).toMatchObject({
      message: 'arguments: The architect agent may call write_file only on paths matching *.md.',
    });
    const ok = world.apply(
      decide(approvalId, 'edit', { arguments: { path: 'docs/b.md', content: 'x' } }),
    );
    expect(kinds(ok)).toEqual(['approval_granted']);
  });

  it('rejected is never dispatched, and its agent continues with a tool message saying why', () => {
    const { world, approvalId, callId } = gatedWrite();
    const r = world.apply(decide(approvalId, 'reject', { feedback: 'not that file' }));
    expect(kinds(r)).toEqual(['approval_rejected']);
    expect(data(world.events, 'tool_call.dispatched')).toEqual([]);
    expect(r.state.calls[callId]).toMatchObject({ status: 'resolved', resolvedBy: 'approval' });
    expect(r.messages.map((m) => m.body)).toEqual([
      {
        role: 'tool',
        callId,
        name: 'write_file',
        outcome: {
          type: 'error',
          message:
            'The user rejected this tool call; it was not run. Their feedback: not that file',
        },
      },
    ]);
    expect(r.effects).toEqual([
      expect.objectContaining({ type: 'run_model_step', agent: 'coder' }),
    ]);
  });
});

describe('a decided approval', () => {
  it.each([
    ['approve', {}],
    ['reject', { feedback: 'no' }],
    ['edit', { arguments: { path: 'x.ts', content: 'y' } }],
  ] as const)('answers the same %s again as a duplicate and changes nothing', (decision, extra) => {
    const { world, approvalId } = gatedWrite();
    world.apply(decide(approvalId, decision, extra));
    const before = world.state;
    const r = world.apply(decide(approvalId, decision, extra));
    expect(r.outcome).toEqual({ ok: true, duplicate: true });
    expect(kinds(r)).toEqual(['duplicate_ignored']);
    expect(r.state).toEqual(before);
    expect(r.effects).toEqual([]);
  });

  it('refuses a different decision with CONFLICT: the first decision stands', () => {
    const { world, approvalId } = gatedWrite();
    world.apply(decide(approvalId, 'approve'));
    const r = expectRefused(world, decide(approvalId, 'reject'), 'CONFLICT');
    expect(kinds(r)).toEqual(['conflict_rejected']);
    expectRefused(
      world,
      decide(approvalId, 'edit', { arguments: { path: 'b', content: '' } }),
      'CONFLICT',
    );
  });

  it('is NOT_FOUND when the approval does not exist', () => {
    const { world } = gatedWrite();
    expectRefused(world, decide('approval-404', 'approve'), 'NOT_FOUND');
  });
});

describe('approval expiry', () => {
  const config = { approvalTimeoutMs: 60_000 };

  it('gives the approval a deadline and refuses to expire it early', () => {
    const { world, r, approvalId } = gatedWrite('a.ts', 'coder', config);
    const expiresAt = new Date(world.now - 1000 + 60_000).toISOString();
    expect(data(r.events, 'approval.requested')[0]?.expiresAt).toBe(expiresAt);
    expectRefused(world, { type: 'approval_expired', approvalId }, 'CONFLICT');
  });

  it('cancels the call with approval_expired once the deadline passed, and the agent continues', () => {
    const { world, approvalId, callId } = gatedWrite('a.ts', 'coder', config);
    world.now += 60_000;
    const r = world.apply({ type: 'approval_expired', approvalId });
    expect(kinds(r)).toEqual(['approval_expired']);
    expect(r.state.approvals[approvalId]?.status).toBe('expired');
    expect(r.state.calls[callId]).toMatchObject({
      status: 'cancelled',
      resolvedBy: 'approval',
      outcome: {
        type: 'error',
        message: 'The tool call was not run: its approval expired with no decision.',
      },
    });
    expect(r.effects).toEqual([expect.objectContaining({ type: 'run_model_step' })]);
    expect(data(world.events, 'tool_call.dispatched')).toEqual([]);
    expectRefused(world, decide(approvalId, 'approve'), 'CONFLICT');
  });

  it('refuses a decision arriving after the deadline with CONFLICT, changing nothing (SPEC §7)', () => {
    const { world, approvalId } = gatedWrite('a.ts', 'coder', config);
    world.now += 120_000;
    const r = expectRefused(world, decide(approvalId, 'approve'), 'CONFLICT');
    expect(data(r.events, 'tool_call.dispatched')).toEqual([]);
  });

  it('never happens without a timeout', () => {
    const { world, approvalId } = gatedWrite();
    world.now += 10 * 365 * 86_400_000;
    expectRefused(world, { type: 'approval_expired', approvalId }, 'CONFLICT');
  });
});

describe('a plan approval decided through its approval id', () => {
  function planAwaiting(): { world: World; approvalId: string } {
    const world = createWorld();
    world.apply({ type: 'user_message', text: 'plan' });
    const subtasks = [{ title: 't', description: 'd', agent: 'coder' }];
    step(world, '', [{ name: 'create_plan', arguments: { goal: 'g', subtasks } }]);
    return { world, approvalId: world.plan().approvalId ?? '' };
  }

  it('approves the plan and starts its first subtask', () => {
    const { world, approvalId } = planAwaiting();
    const r = world.apply(decide(approvalId, 'approve'));
    expect(kinds(r)).toEqual(['approval_granted']);
    expect(world.plan().status).toBe('in_progress');
    expect(r.effects).toEqual([
      expect.objectContaining({ type: 'run_model_step', agent: 'coder' }),
    ]);
  });

  it('rejects the plan', () => {
    const { world, approvalId } = planAwaiting();
    const r = world.apply(decide(approvalId, 'reject', { feedback: 'no' }));
    expect(kinds(r)).toEqual(['approval_rejected']);
    expect(world.plan().status).toBe('rejected');
  });

  it('refuses an edit with BAD_REQUEST', () => {
    const { world, approvalId } = planAwaiting();
    expectRefused(world, decide(approvalId, 'edit', { arguments: { goal: 'x' } }), 'BAD_REQUEST');
  });
});
