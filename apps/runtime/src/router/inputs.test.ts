import { describe, expect, it } from 'vitest';
import { id, jsonValue, MAX_JSON_DEPTH, text } from './inputs';

/** JSON nested `depth` levels deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

const messages = (result: { error?: { issues: { message: string }[] } }) =>
  result.error?.issues.map((i) => i.message) ?? [];

describe('text', () => {
  it('accepts any well-formed Unicode: emoji, right-to-left marks, combining accents', () => {
    for (const value of ['👩‍👩‍👧‍👦 𝕏', '\u202eevil\u202c', 'e\u0301', 'שלום', '\ufeff\u2028']) {
      expect(text(200).safeParse(value).success, value).toBe(true);
    }
  });

  it('refuses NUL and lone surrogates, which PostgreSQL cannot store as they are, saying why', () => {
    expect(messages(text(200).safeParse('a\u0000b'))).toEqual([
      expect.stringContaining('NUL') as string,
    ]);
    for (const lone of ['\ud800', 'x\udfff', '\udc00\ud800', '😀'.slice(0, 1)]) {
      expect(messages(text(200).safeParse(lone)), JSON.stringify(lone)).toEqual([
        expect.stringContaining('lone surrogate') as string,
      ]);
    }
  });
});

describe('id', () => {
  it('refuses empty, over-long, NUL and lone-surrogate ids before they reach a query', () => {
    for (const bad of ['', 'x'.repeat(101), 'ses\u0000', '\ud800']) {
      expect(id.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(id.safeParse('session_01a2').success).toBe(true);
  });
});

describe('jsonValue', () => {
  it('accepts JSON nested up to the limit, with any well-formed strings and keys', () => {
    expect(jsonValue.safeParse(nested(MAX_JSON_DEPTH)).success).toBe(true);
    expect(jsonValue.safeParse({ '😀': ['\u202e', { é: null }], n: 1.5 }).success).toBe(true);
  });

  it('refuses deeper JSON with a message, even far deeper than the stack (no overflow)', () => {
    expect(messages(jsonValue.safeParse(nested(MAX_JSON_DEPTH + 1)))).toEqual([
      `must not nest deeper than ${MAX_JSON_DEPTH} levels`,
    ]);
    const abyss = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`) as unknown;
    expect(jsonValue.safeParse(abyss).success).toBe(false);
  });

  it('refuses NUL and lone surrogates in strings and in keys', () => {
    for (const bad of [['a\u0000'], { 'k\u0000': 1 }, { k: ['\ud800'] }, { '\udfff': 1 }]) {
      expect(jsonValue.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('refuses what is not JSON at all', () => {
    const notJson: [string, unknown][] = [
      ['undefined', undefined],
      ['a function', () => 1],
      ['a symbol', Symbol('s')],
      ['a bigint', 10n],
    ];
    for (const [what, bad] of notJson) expect(jsonValue.safeParse(bad).success, what).toBe(false);
  });
});
