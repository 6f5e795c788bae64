import type { BatonClient } from '@baton/client';
import { appRouter } from '@baton/runtime';
import fc from 'fast-check';
import type { CallVerdict } from './fuzz-check';
import type { RouterProcedure } from './fuzz-expect';
import { expectedAnswers, schemaAccepts } from './fuzz-expect';
import type { ProcedureModel } from './fuzz-procedures';
import { inputOf, PROCEDURE_MODELS } from './fuzz-procedures';
import { clip, malformedAuthorization } from './fuzz-requests';
import { toJsonText } from './fuzz-values';
import type { CallerKind, FuzzWorld } from './fuzz-world';
import { namesForeignSession, visibleTarget, writesIntoClientSession } from './fuzz-world';
import { refusalOf } from './refusals';

/**
 * The fuzz's calls of the router's procedures: enumerated from the router itself (so a new
 * procedure without a fuzz model fails), generated with their callers and inputs, judged against
 * what each may answer, and made through the typed client too.
 */

/** The router's procedures, by path, as the runtime defines them. */
const procedures = appRouter._def.procedures as unknown as Record<string, RouterProcedure>;
/** Every procedure path of the router. */
export const paths = Object.keys(procedures).sort();
/** A procedure's kind: query, mutation or subscription. */
export const typeOf = (path: string) => procedures[path]?._def.type ?? 'query';

/** The model of `path`; a procedure without one fails its test (and the coverage test). */
export function modelOf(path: string): ProcedureModel {
  const model = PROCEDURE_MODELS[path];
  if (!model) throw new Error(`${path} has no fuzz model: add it to harness/fuzz-procedures.ts`);
  return model;
}

/** A caller with a token, good or bad: the typed client always sends one. */
export type TokenCaller = Exclude<CallerKind, 'none' | 'malformed'>;

/** One generated call: who, what input (as JSON text), and whether its schema accepts it. */
export interface GeneratedCall {
  readonly path: string;
  readonly caller: CallerKind;
  readonly malformed: string;
  readonly input: unknown;
  readonly inputText: string | undefined;
  readonly valid: boolean;
}

/** Calls of `path` that the fuzz may send (no valid call that would start real work). */
export function callsOf(
  path: string,
  world: FuzzWorld,
  caller: fc.Arbitrary<CallerKind>,
): fc.Arbitrary<GeneratedCall> {
  const model = modelOf(path);
  const procedure = procedures[path] as RouterProcedure;
  return fc
    .tuple(caller, malformedAuthorization, inputOf(model, world))
    .map(([who, malformed, input]): GeneratedCall => {
      const inputText = toJsonText(input);
      const valid = schemaAccepts(procedure, inputText);
      // fast-check prints a counterexample with this: megabytes of input, clipped.
      const shown = () =>
        `${path} by ${who}${who === 'malformed' ? ` (${malformed})` : ''}: ${clip(inputText)}`;
      const call = { path, caller: who, malformed, input, inputText, valid };
      return Object.assign(call, { [fc.toStringMethod]: shown });
    })
    .filter(
      ({ caller: who, input, valid }) =>
        !(valid && model.dangerous?.(input as Record<string, unknown>, who, world)),
    );
}

/** What a call of `path` may get and do, given what was sent. */
export function verdictOf(
  call: GeneratedCall,
  world: FuzzWorld,
  outcome: readonly string[],
  sizes: { requestBytes: number; headLength: number },
): CallVerdict {
  const model = modelOf(call.path);
  const type = typeOf(call.path);
  const expected = expectedAnswers({
    type,
    role: model.role,
    caller: call.caller,
    validInput: call.valid,
    mayAccept: type !== 'mutation' || model.accepts !== undefined,
    ...sizes,
  });
  const trace = type === 'mutation' ? visibleTarget(world, call.caller, call.input) : undefined;
  // Another client's session reads exactly like a missing one: NOT_FOUND, never a CONFLICT or an
  // answer (a size limit checked before any lookup leaks nothing either).
  const foreign = expected.reachesProcedure && namesForeignSession(world, call.caller, call.input);
  // An operator's valid write into a client's session is FORBIDDEN (invalid input still fails
  // its validation first); it changes nothing, so it is never accepted.
  const intrudes =
    expected.reachesProcedure &&
    call.valid &&
    writesIntoClientSession(world, call.path, call.caller, call.input);
  const sizeLimits = ['PAYLOAD_TOO_LARGE', '431', 'CLOSED'];
  return {
    outcome,
    allowed: foreign
      ? expected.codes.filter((c) => ['NOT_FOUND', ...sizeLimits].includes(c))
      : intrudes
        ? ['FORBIDDEN', ...expected.codes.filter((c) => sizeLimits.includes(c))]
        : expected.codes,
    because: `${expected.because}${foreign ? ', naming another client’s session' : ''}${intrudes ? ', an operator writing into a client’s session' : ''}; caller ${call.caller}`,
    acceptance: type === 'mutation' ? (model.accepts ?? 'none') : 'read',
    ...(trace && !intrudes ? { traceSession: trace } : {}),
  };
}

/** The typed client's procedure at `path` (e.g. `sessions.get`). */
export function procedureOf(
  client: BatonClient,
  path: string,
): Record<string, (input: unknown) => unknown> {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], client) as Record<
    string,
    (input: unknown) => unknown
  >;
}

/** How a typed call ended: 'OK', or its tRPC error code (anything else is not an answer). */
export async function typedOutcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    return refusalOf(error).code;
  }
}

/** How long a subscription may stay silent before the fuzz calls it hung. */
const SILENCE_LIMIT_MS = 20_000;

/**
 * A `sessions.events` subscription's first outcome: 'OK' on data, its tRPC error code on error.
 * The fuzz only subscribes where data exists, so silence is a failure, not an answer.
 */
export function firstSubscriptionOutcome(client: BatonClient, input: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const subscription = procedureOf(client, 'sessions.events')['subscribe'] as (
      input: unknown,
      handlers: { onData: () => void; onError: (e: unknown) => void },
    ) => { unsubscribe(): void };
    const settle = (outcome: () => string) => {
      clearTimeout(timer);
      handle.unsubscribe();
      try {
        resolve(outcome());
      } catch (notTrpc) {
        reject(notTrpc instanceof Error ? notTrpc : new Error(String(notTrpc)));
      }
    };
    const handle = subscription(input, {
      onData: () => settle(() => 'OK'),
      onError: (error) => settle(() => refusalOf(error).code),
    });
    const timer = setTimeout(() => {
      handle.unsubscribe();
      reject(new Error(`sessions.events neither delivered nor failed in ${SILENCE_LIMIT_MS} ms`));
    }, SILENCE_LIMIT_MS);
  });
}

/**
 * Whether the typed client would send something else than the fuzz means (it serializes deep
 * JSON markers as plain objects), or a batch too long for one URL.
 */
export const unfitForTypedClient = (call: GeneratedCall) =>
  (call.inputText?.length ?? 0) > 2000 || call.inputText !== JSON.stringify(call.input);
