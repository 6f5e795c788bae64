import { describe, it, expect } from 'vitest';
import { decideToolResult, sameOutcome } from './decide-tool-result';
import type { ToolCall, ToolOutcome } from './records';
import type { SessionState } from './state';
import { createSession } from './state';

function call(id: string, patch: Partial<ToolCall> = {}): ToolCall {
  return {
    id,
    sessionId: 'session-1',
    runId: 'run-1',
    stepId: 'step-1',
    index: 0,
    owner: { kind: 'session' },
    agent: 'coder',
    name: 'read_file',
    arguments: { path: 'a.ts' },
    dispatchedArguments: { path: 'a.ts' },
    status: 'dispatched',
    outcome: null,
    resolvedBy: null,
    resolution: null,
    approvalId: null,
    createdAt: '2024-01-01T00:00:00.000Z',
    dispatchedAt: '2024-01-01T00:00:00.000Z',
    resolvedAt: null,
    ...patch,
  };
}

function stateWith(...calls: ToolCall[]): SessionState {
  const { state } = createSession({ id: 'session-1' }, { now: 0 });
  return { ...state, calls: Object.fromEntries(calls.map((c) => [c.id, c])) };
}

const result = (value: unknown): ToolOutcome => ({ type: 'result', value: value as never });
const resolvedByClient = (outcome: ToolOutcome): Partial<ToolCall> => ({
  status: 'resolved',
  outcome,
  resolvedBy: 'client',
  resolution: 'continue_agent',
});

describe('decideToolResult', () => {
  it('rejects a call the session does not have as unknown_call_rejected', () => {
    expect(decideToolResult(stateWith(call('a')), 'zzz', result('x'))).toEqual({
      kind: 'unknown_call_rejected',
      reason: 'no tool call zzz in this session',
    });
  });

  it('continues the session agent with the last open call of a session step', () => {
    const verdict = decideToolResult(stateWith(call('a')), 'a', result('x'));
    expect(verdict.kind).toBe('continue_agent');
  });

  it('resumes the owning subtask with the last open call of a subtask step', () => {
    const owner = { kind: 'subtask', planId: 'plan-1', subtaskId: 'subtask-2' } as const;
    const verdict = decideToolResult(stateWith(call('a', { owner })), 'a', result('x'));
    expect(verdict.kind).toBe('resume_subtask');
    expect(verdict.reason).toContain('subtask-2');
  });

  it('waits for siblings while another call of the step is dispatched or awaits approval', () => {
    const dispatched = stateWith(call('a'), call('b', { index: 1 }));
    expect(decideToolResult(dispatched, 'a', result('x'))).toMatchObject({
      kind: 'wait_for_siblings',
      reason: '1 other call(s) of this step are still open',
    });
    const gated = stateWith(
      call('a'),
      call('b', { index: 1, status: 'awaiting_approval', dispatchedArguments: null }),
    );
    expect(decideToolResult(gated, 'a', result('x')).kind).toBe('wait_for_siblings');
  });

  it('does not wait for resolved siblings nor for calls of another step', () => {
    const state = stateWith(
      call('a'),
      call('b', { index: 1, ...resolvedByClient(result('y')) }),
      call('c', { stepId: 'step-0' }),
    );
    expect(decideToolResult(state, 'a', result('x')).kind).toBe('continue_agent');
  });

  it('ignores the same payload again as duplicate_ignored, whatever the key order', () => {
    const state = stateWith(call('a', resolvedByClient(result({ lines: 3, text: 'hi' }))));
    expect(decideToolResult(state, 'a', result({ text: 'hi', lines: 3 })).kind).toBe(
      'duplicate_ignored',
    );
    const failed = stateWith(call('a', resolvedByClient({ type: 'error', message: 'ENOENT' })));
    expect(decideToolResult(failed, 'a', { type: 'error', message: 'ENOENT' }).kind).toBe(
      'duplicate_ignored',
    );
  });

  it('rejects a different payload for a resolved call as conflict_rejected', () => {
    const state = stateWith(call('a', resolvedByClient(result('one'))));
    expect(decideToolResult(state, 'a', result('two'))).toMatchObject({
      kind: 'conflict_rejected',
      reason: 'call a already has a different result',
    });
    expect(decideToolResult(state, 'a', { type: 'error', message: 'one' }).kind).toBe(
      'conflict_rejected',
    );
  });

  it('rejects any result for a call the runtime or a human answered', () => {
    const byRuntime = stateWith(
      call('a', {
        status: 'resolved',
        outcome: { type: 'error', message: 'Unknown tool' },
        resolvedBy: 'runtime',
      }),
    );
    expect(decideToolResult(byRuntime, 'a', { type: 'error', message: 'Unknown tool' })).toEqual(
      expect.objectContaining({
        kind: 'conflict_rejected',
        reason: 'call a was answered by the runtime and never dispatched',
      }),
    );
    const byHuman = stateWith(
      call('a', {
        status: 'resolved',
        outcome: { type: 'error', message: 'rejected' },
        resolvedBy: 'approval',
      }),
    );
    expect(decideToolResult(byHuman, 'a', result('x')).reason).toBe(
      'call a was rejected by a human and never dispatched',
    );
  });

  it('records a result for a cancelled call as late', () => {
    const state = stateWith(
      call('a', { status: 'cancelled', outcome: { type: 'error', message: 'Cancelled: stop' } }),
    );
    expect(decideToolResult(state, 'a', result('x')).kind).toBe('late_result_recorded');
  });

  it('rejects a result for a call that awaits approval', () => {
    const state = stateWith(call('a', { status: 'awaiting_approval', dispatchedArguments: null }));
    expect(decideToolResult(state, 'a', result('x'))).toMatchObject({
      kind: 'conflict_rejected',
      reason: 'call a awaits approval and has not been dispatched',
    });
  });
});

describe('sameOutcome', () => {
  it('compares results as JSON and errors by message, never a result with an error', () => {
    expect(sameOutcome(result([1, { a: 2 }]), result([1, { a: 2 }]))).toBe(true);
    expect(sameOutcome(result('x'), { type: 'error', message: 'x' })).toBe(false);
    expect(sameOutcome({ type: 'error', message: 'x' }, { type: 'error', message: 'y' })).toBe(
      false,
    );
  });
});
