import fc from 'fast-check';

/**
 * Hostile values for the input fuzz: strings that break encodings and limits, values of the wrong
 * type, JSON nested deeper than any parser's stack. Everything here is a plain JSON value except
 * {@link Deep}, which {@link toJsonText} writes out as text, so the test process never builds or
 * serializes a structure deeper than its own stack.
 */

/** A JSON array or object nested `depth` levels deep (written as text, not built in memory). */
export class Deep {
  constructor(
    readonly depth: number,
    readonly shape: 'array' | 'object',
  ) {}

  /** The JSON text of this value. */
  text(): string {
    return this.shape === 'array'
      ? `${'['.repeat(this.depth)}${']'.repeat(this.depth)}`
      : `${'{"a":'.repeat(this.depth)}1${'}'.repeat(this.depth)}`;
  }
}

/** Fragments that break naive string handling: NUL, lone surrogates, RTL, emoji, quoting. */
export const NASTY_FRAGMENTS = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\udc00\ud800',
  '\u202e',
  '\u200f',
  '\u2028',
  '\ufeff',
  '\uffff',
  '\u0301',
  '👩‍👩‍👧‍👦',
  '😀',
  '𝕏',
  'é',
  'ﷺ',
  '\\',
  '"',
  "'; DROP TABLE sessions; --",
  '%00',
  '%s%n',
  '\r\n',
  '\t',
  '\u001b[31m',
  '../../etc/passwd',
  '$ne',
  '__proto__',
  ' ',
  '',
] as const;

/** A string made of nasty fragments and arbitrary code points. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.constantFrom(...NASTY_FRAGMENTS), maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(...NASTY_FRAGMENTS),
);

/** One character to repeat up to a length limit: its UTF-16 length differs (1 or 2). */
const fillers = fc.constantFrom('a', 'é', '😀', '\u0000', '\ud800', '\u202e');

/**
 * Strings around the limit `max` (in UTF-16 units, as zod counts them): just under, at, just
 * over and far over — filled with one character so that a huge one costs nothing to generate.
 */
export function aroundLimit(max: number): fc.Arbitrary<string> {
  const lengths = [max - 1, max, max + 1, max * 2 + 7].filter((n) => n >= 0);
  return fc
    .tuple(fillers, fc.constantFrom(...lengths))
    .map(([filler, length]) => filler.repeat(Math.ceil(length / filler.length)));
}

/**
 * Strings far beyond every limit of the API: a message's (100,000 characters), a result's (1 MiB)
 * and the request body's (about 2.1 MB, whichever character fills it).
 */
export const hugeString: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fillers, fc.constantFrom(100_001, 1_048_577))
    .map(([filler, length]) => filler.repeat(Math.ceil(length / filler.length))),
  fc.constant('a'.repeat(2_200_000)),
);

/** JSON nested around and far beyond what a recursive validator or serializer survives. */
export const deepJson: fc.Arbitrary<Deep> = fc
  .tuple(
    fc.constantFrom(64, 100, 101, 1_000, 1_500, 3_000, 100_000),
    fc.constantFrom<'array' | 'object'>('array', 'object'),
  )
  .map(([depth, shape]) => new Deep(depth, shape));

/** Values of the wrong type for almost any field. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.integer(), nastyString), { maxLength: 3 }),
  fc.dictionary(nastyString, fc.oneof(fc.integer(), nastyString), { maxKeys: 3 }),
  fc.constantFrom({ $ne: null }, { $gt: '' }, [[[]]], {}),
);

/** JSON values a client might send as a tool result or arguments, nasty strings included. */
export const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
  { arbitrary: nastyString, weight: 2 },
  { arbitrary: deepJson, weight: 1 },
  {
    arbitrary: fc.dictionary(nastyString, nastyString, { maxKeys: 3 }),
    weight: 1,
  },
);

/** Any hostile value: a nasty or huge string, the wrong type, or deep JSON. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: nastyString, weight: 4 },
  { arbitrary: wrongType, weight: 4 },
  { arbitrary: deepJson, weight: 1 },
  { arbitrary: hugeString, weight: 1 },
);

/** Keys that are not part of any input, some of them dangerous to a careless merge. */
export const extraKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'clientId', 'role', 'id', ''),
  nastyString,
);

/**
 * The JSON text of `value`, with every {@link Deep} written out in place. `undefined` (no input
 * at all) has no text.
 */
export function toJsonText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const deep: Deep[] = [];
  const marker = (i: number) => `\u0001deep:${i}\u0001`;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Deep) {
      deep.push(v);
      return marker(deep.length - 1);
    }
    return v;
  });
  return deep.reduce<string>((out, d, i) => out.replace(JSON.stringify(marker(i)), d.text()), text);
}

/** An object with `key` as an own, enumerable property (also when it is `__proto__`). */
export function withOwnKey(
  target: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return target;
}
