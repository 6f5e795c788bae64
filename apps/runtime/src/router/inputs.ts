import { decodeEventId } from '@baton/db';
import { AgentName } from '@baton/domain';
import { z } from 'zod';

/** Input pieces shared by the routers, with the limits SPEC §8 asks for. */

/** PostgreSQL cannot store NUL in text or JSON: refuse it at the edge, with the reason. */
const NUL_MESSAGE = 'must not contain NUL characters (\\u0000); remove or escape them';
/** Nor a lone surrogate in JSON (text would silently turn it into U+FFFD). */
const SURROGATE_MESSAGE =
  'must be well-formed Unicode: it has a lone surrogate (\\uD800-\\uDFFF without its pair)';

/** The deepest JSON nesting accepted: far beyond any tool's, far below any parser's stack. */
export const MAX_JSON_DEPTH = 100;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `value` cannot be stored as it is, or null when it can. */
function stringProblem(value: string): string | null {
  if (value.includes('\u0000')) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(value)) return SURROGATE_MESSAGE;
  return null;
}

/** A string without NUL characters or lone surrogates, at most `max` long. */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((value, ctx) => {
      const problem = stringProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/**
 * Why a JSON value cannot be stored, or null: NUL or a lone surrogate in a string or key, or
 * nesting deeper than {@link MAX_JSON_DEPTH}. Walks iteratively, so deep input cannot overflow
 * the stack here (nor later: deeper input never reaches the recursive JSON validator).
 */
function jsonProblem(root: unknown): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, depth } = item;
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem) return problem;
    } else if (typeof value === 'object' && value !== null) {
      if (depth >= MAX_JSON_DEPTH) return `must not nest deeper than ${MAX_JSON_DEPTH} levels`;
      for (const [key, child] of Object.entries(value)) {
        const problem = stringProblem(key);
        if (problem) return problem;
        stack.push({ value: child, depth: depth + 1 });
      }
    }
  }
  return null;
}

const json = z.json();

/** Any JSON value without NUL characters or lone surrogates, nested at most 100 deep. */
export const jsonValue = z
  .custom<z.input<typeof json>>()
  .superRefine((value, ctx) => {
    const problem = jsonProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .pipe(json);

export const id = text(100).pipe(z.string().min(1));
export const agentName = z.enum(Object.values(AgentName) as [AgentName, ...AgentName[]]);
export const reason = text(2000).optional();
export const feedback = text(10_000).optional();
export const limit = z.number().int().min(1).max(200).default(50);
export const cursor = text(500).nullish();
/** A resume point: an event id as the streams hand them out (a well-formed id past the range of
 * a transaction id is refused here, before any stream starts). */
export const lastEventId = z
  .string()
  .max(100)
  .refine((value) => decodeEventId(value) !== null, {
    message: 'not an event id: resume from the id of an event this stream delivered',
  })
  .nullish();
/** Sent by tRPC's infinite queries; pages only go forward, so it is accepted and ignored. */
export const direction = z.enum(['forward', 'backward']).optional();
