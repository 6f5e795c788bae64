import { describe, expect, it } from 'vitest';
import { decodeEventId, encodeEventId } from './event-id';

describe('event ids', () => {
  it('encode a position as text that sorts in (transaction, id) order', () => {
    const positions = [
      { tx: '9', id: 100 },
      { tx: '10', id: 2 },
      { tx: '10', id: 11 },
      { tx: '18446744073709551615', id: 1 },
    ];
    const ids = positions.map(encodeEventId);
    expect(ids[0]).toBe('00000000000000000009-00000000000000000100');
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map(decodeEventId)).toEqual(positions);
  });

  it('decode nothing but event ids', () => {
    for (const text of [
      '',
      '1-2',
      'x'.repeat(41),
      '00000000000000000009-0000000000000000010a',
      // Well-formed, but past the range of a transaction id (xid8) or of a row id.
      '18446744073709551616-00000000000000000001',
      '99999999999999999999-00000000000000000001',
      '00000000000000000009-99999999999999999999',
    ]) {
      expect(decodeEventId(text)).toBeNull();
    }
  });
});
