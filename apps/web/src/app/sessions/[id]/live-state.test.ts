import type { SessionEvent } from '@baton/domain';
import { describe, expect, it } from 'vitest';
import { emptyLiveState, foldEvent, RECENT_EVENTS, recentPath } from './live-state';

let n = 0;
const at = '2026-01-01T00:00:00.000Z';
const event = (e: Pick<SessionEvent, 'type' | 'data'>): SessionEvent => {
  n += 1;
  const id = String(n).padStart(4, '0');
  return { ...e, id, sessionId: 's', seq: n, at } as SessionEvent;
};
const runState = (from: string, to: string) =>
  event({ type: 'run.state', data: { from, to, runId: 'r', reason: '' } } as Pick<
    SessionEvent,
    'type' | 'data'
  >);

describe('the live state of a session page', () => {
  it('records the run-state path from run.state events, starting where the first one left', () => {
    const events = [
      runState('idle', 'model_step'),
      runState('model_step', 'awaiting_tools'),
      runState('awaiting_tools', 'model_step'),
      runState('model_step', 'idle'),
    ];
    const state = events.reduce(foldEvent, emptyLiveState);
    expect(state.path).toEqual(['idle', 'model_step', 'awaiting_tools', 'model_step', 'idle']);
    expect(state.count).toBe(4);
  });

  it('ignores an event it has already seen (a repeat after a reconnect)', () => {
    const first = runState('idle', 'model_step');
    const once = foldEvent(emptyLiveState, first);
    expect(foldEvent(once, first)).toBe(once);
  });

  it('shows streamed text until the step’s message arrives', () => {
    const streaming = [
      event({ type: 'message.delta', data: { stepId: 'st', text: 'Hel' } }),
      event({ type: 'message.delta', data: { stepId: 'st', text: 'lo' } }),
    ].reduce(foldEvent, emptyLiveState);
    expect(streaming.streaming).toEqual({ st: 'Hello' });
    const done = foldEvent(
      streaming,
      event({
        type: 'message.assistant',
        data: { messageId: 'm', stepId: 'st', agent: 'coder', text: 'Hello' },
      }),
    );
    expect(done.streaming).toEqual({});
  });

  it('keeps the latest events but streamed text, oldest first, up to a limit', () => {
    const events = Array.from({ length: RECENT_EVENTS + 5 }, (_, i) =>
      runState(i % 2 ? 'model_step' : 'idle', i % 2 ? 'idle' : 'model_step'),
    );
    const delta = event({ type: 'message.delta', data: { stepId: 'st', text: 'x' } });
    const state = [...events, delta].reduce(foldEvent, emptyLiveState);
    expect(state.recent.map((e) => e.seq)).toEqual(events.slice(5).map((e) => e.seq));
  });

  it('keeps the most recent states of a long path and counts the rest', () => {
    expect(recentPath(['idle', 'model_step', 'awaiting_tools', 'model_step'], 2)).toEqual({
      states: ['awaiting_tools', 'model_step'],
      omitted: 2,
    });
  });
});
