import { describe, expect, it } from 'vitest';
import { newId } from './ids';

describe('newId', () => {
  it('names the kind and never repeats', () => {
    const ids = Array.from({ length: 10_000 }, () => newId('call'));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^call_[0-9a-f]{34}$/.test(id))).toBe(true);
  });

  it('sorts as text in the order the ids were made, within one millisecond too', () => {
    const ids = Array.from({ length: 1000 }, () => newId('decision'));
    expect([...ids].sort()).toEqual(ids);
  });
});
