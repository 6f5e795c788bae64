import type { SessionEvent } from '@baton/domain';
import { describe, expect, it } from 'vitest';
import { summarizeEvent } from './event-summary';

const base = { id: '1', sessionId: 's', seq: 1, at: '2026-01-01T00:00:00.000Z' };
const event = (e: Pick<SessionEvent, 'type' | 'data'>) => ({ ...base, ...e }) as SessionEvent;

describe('an event in one line', () => {
  it('says what moved: a run state, a call, a decision', () => {
    expect(
      summarizeEvent(
        event({
          type: 'run.state',
          data: { from: 'idle', to: 'model_step', runId: 'r', reason: 'message' },
        }),
      ),
    ).toBe('idle → model_step');
    expect(
      summarizeEvent(
        event({
          type: 'tool_call.dispatched',
          data: { callId: 'c', name: 'read_file', arguments: {}, agent: 'coder' },
        }),
      ),
    ).toBe('read_file by coder');
  });

  it('shortens long text', () => {
    const text = 'x'.repeat(200);
    const line = summarizeEvent(event({ type: 'message.user', data: { messageId: 'm', text } }));
    expect(line).toHaveLength(80);
    expect(line.endsWith('…')).toBe(true);
  });
});
