import { describe, it, expect } from 'vitest';
import { jsonEqual } from './json';

describe('jsonEqual', () => {
  it('treats equal primitives as the same payload and different ones as different', () => {
    expect(jsonEqual('ok', 'ok')).toBe(true);
    expect(jsonEqual(1, 1)).toBe(true);
    expect(jsonEqual(null, null)).toBe(true);
    expect(jsonEqual(true, false)).toBe(false);
    expect(jsonEqual('1', 1)).toBe(false);
    expect(jsonEqual(null, 'null')).toBe(false);
  });

  it('ignores the key order of objects, so a re-serialised result is still a duplicate', () => {
    expect(jsonEqual({ a: 1, b: { c: [1, 2], d: 'x' } }, { b: { d: 'x', c: [1, 2] }, a: 1 })).toBe(
      true,
    );
  });

  it('respects the order of arrays', () => {
    expect(jsonEqual([1, 2, 3], [1, 2, 3])).toBe(true);
    expect(jsonEqual([1, 2, 3], [3, 2, 1])).toBe(false);
    expect(jsonEqual([1, 2], [1, 2, 3])).toBe(false);
  });

  it('tells objects with different keys, values or sizes apart', () => {
    expect(jsonEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(jsonEqual({ a: 1 }, { b: 1 })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual({ a: null }, {})).toBe(false);
  });

  it('never takes an array for an object, nor null for an empty object', () => {
    expect(jsonEqual([], {})).toBe(false);
    expect(jsonEqual({ 0: 'a' }, ['a'])).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
    expect(jsonEqual({}, null)).toBe(false);
  });
});
