import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../errors';
import { decodeCursor, encodeCursor, toPage } from './cursor';

describe('keyset cursors', () => {
  it('round-trip the sort key of a page’s last item as opaque text', () => {
    const position = { at: '2030-01-01T00:00:00.000Z', id: 'session_1' };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it('refuse a cursor they did not make', () => {
    const crafted = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      '',
      'nope',
      encodeCursor({ at: 'yesterday', id: 'x' }),
      // Well-formed, but out of what PostgreSQL can take: a NUL in the id, a year-0 time.
      crafted(['2024-01-01T00:00:00Z', 'a\u0000b']),
      crafted(['0000-01-01T00:00:00Z', 'session_1']),
      crafted(['2024-01-01T00:00:00Z', 'x'.repeat(201)]),
      crafted(['2024-01-01T00:00:00Z', 'a b']),
    ]) {
      expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
    }
  });

  it('give a next cursor only when there is a next page', () => {
    const key = (n: number) => ({ at: new Date(n).toISOString(), id: String(n) });
    expect(toPage([3, 2, 1], 3, key).nextCursor).toBeNull();
    const page = toPage([4, 3, 2, 1], 3, key);
    expect(page.items).toEqual([4, 3, 2]);
    expect(decodeCursor(page.nextCursor!)).toEqual(key(2));
  });
});
