import { describe, expect, it } from 'vitest';
import { formatDuration, formatTime } from './format';

describe('formatting', () => {
  it('shows a time in UTC to the second, whatever the browser locale', () => {
    expect(formatTime('2026-11-25T14:03:12.345Z')).toBe('2026-11-25 14:03:12 UTC');
  });

  it('shows a tool call duration in ms under a second, in seconds above', () => {
    expect(formatDuration('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.340Z')).toBe('340 ms');
    expect(formatDuration('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:02.500Z')).toBe('2.5 s');
    expect(formatDuration(null, '2026-01-01T00:00:02.500Z')).toBeNull();
  });
});
