import type { Access, ApiToken, Database } from '@baton/db';
import { InvalidCursorError } from '@baton/db';
import type { InputOutcome } from '@baton/domain';
import { initTRPC, TRPCError } from '@trpc/server';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import type { Engine } from './engine/engine';
import type { EngineMetrics } from './engine/metrics';
import type { Settings } from './env';
import type { TokenProblem } from './auth/authenticate';
import type { RateLimiter } from './auth/rate-limit';
import type { TokenCache } from './auth/token-cache';
import type { StreamSlot } from './auth/token-streams';

/** What every procedure can reach: the replica's services and who is calling. */
export interface Context {
  readonly database: Database;
  readonly engine: Engine;
  readonly settings: Settings;
  readonly metrics: EngineMetrics;
  readonly logger: Logger;
  readonly rateLimiter: RateLimiter;
  /** Token lookups and the tokens' open streams; a revocation must `forget` the token here. */
  readonly tokens: TokenCache;
  readonly version: string;
  /** The caller's token, or null when none (or an invalid one) was given. */
  readonly token: ApiToken | null;
  /** Set when a token was given but not accepted (unknown, revoked, in the URL, throttled). */
  readonly tokenProblem: TokenProblem | null;
}

const t = initTRPC.context<Context>().create({
  sse: {
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 30_000 },
  },
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      // An unexpected error's message can carry SQL and its parameters: it goes to the log only.
      ...(error.code === 'INTERNAL_SERVER_ERROR' ? { message: INTERNAL_MESSAGE } : {}),
      data: {
        ...shape.data,
        stack: undefined,
        issues:
          cause instanceof ZodError
            ? cause.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
            : undefined,
      },
    };
  },
});

export const router = t.router;

/** What a client reads for an unexpected error (the details are in the runtime's log). */
export const INTERNAL_MESSAGE = 'Internal error: the runtime logged the details.';

/** The tRPC error for an error a request caused, or null when it is unexpected. */
function refusalOf(error: unknown): TRPCError | null {
  const cause = error instanceof TRPCError ? error.cause : error;
  if (cause instanceof InvalidCursorError) {
    return new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  }
  return null;
}

function isAsyncIterable(data: unknown): data is AsyncIterable<unknown> {
  return typeof data === 'object' && data !== null && Symbol.asyncIterator in data;
}

/** A subscription's stream whose errors pass {@link refusalOf} on their way to the client. */
async function* refusingBadInput<T>(stream: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  try {
    yield* stream;
  } catch (error) {
    throw refusalOf(error) ?? error;
  }
}

/**
 * The API edge: the database's refusals of what a client sent (a cursor or an event id it never
 * got) become `BAD_REQUEST`, in an answer or in a subscription's stream, instead of a 500.
 */
const edge = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const refusal = refusalOf(result.error);
    if (refusal) throw refusal;
    return result;
  }
  const data: unknown = result.data;
  return isAsyncIterable(data) ? { ...result, data: refusingBadInput(data) } : result;
});

/** No token needed (only `health`). */
export const publicProcedure = t.procedure.use(edge);

const roleRank = { client: 0, operator: 1, admin: 2 } as const;

/**
 * A subscription's stream, cut off when its token's streams are ended (a revocation): nothing
 * more is delivered, and the client reads why as UNAUTHORIZED. Gives its slot back at the end.
 */
async function* endingWithToken<T>(
  stream: AsyncIterable<T>,
  slot: StreamSlot,
): AsyncGenerator<T, void, undefined> {
  try {
    for await (const item of stream) {
      if (slot.endedBecause() !== null) break;
      yield item;
    }
    const why = slot.endedBecause();
    if (why !== null) throw new TRPCError({ code: 'UNAUTHORIZED', message: why });
  } finally {
    slot.close();
  }
}

function requireRole(minimum: keyof typeof roleRank) {
  return t.middleware(async ({ ctx, type, signal, next }) => {
    if (!ctx.token) {
      throw new TRPCError(
        ctx.tokenProblem ?? {
          code: 'UNAUTHORIZED',
          message:
            'An API token is required: send "Authorization: Bearer <token>" (create one with `npx baton token create`).',
        },
      );
    }
    if (roleRank[ctx.token.role] < roleRank[minimum]) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `This needs the ${minimum} role; the token "${ctx.token.name}" is ${ctx.token.role}.`,
      });
    }
    if (!ctx.rateLimiter.allow(ctx.token.id)) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `Too many requests for this token (limit ${ctx.settings.limits.requestsPerMinute}/min); retry shortly.`,
      });
    }
    // A client sees its own sessions only; operators and admins see all.
    const access: Access = { clientId: ctx.token.role === 'client' ? ctx.token.id : null };
    const authed = { ...ctx, token: ctx.token, access };
    if (type !== 'subscription') return next({ ctx: { ...authed, streamSignal: signal } });
    // A stream holds a slot of its token while it runs, and follows `streamSignal`, which
    // aborts when the token is revoked (on any replica) as well as when the client leaves.
    const slot = ctx.tokens.streams.open(ctx.token.id, signal);
    if (!slot) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `Too many event streams open for this token (at most ${ctx.tokens.streams.max} per runtime replica): close one before opening another.`,
      });
    }
    const result = await next({
      ctx: { ...authed, streamSignal: slot.signal },
    });
    if (result.ok && isAsyncIterable(result.data)) {
      return { ...result, data: endingWithToken(result.data, slot) };
    }
    slot.close();
    return result;
  });
}

/** Any valid token; a client token is confined to its own sessions. */
export const clientProcedure = publicProcedure.use(requireRole('client'));
/** Operator or admin: all sessions. */
export const operatorProcedure = publicProcedure.use(requireRole('operator'));
/** Admin only (tokens). */
export const adminProcedure = publicProcedure.use(requireRole('admin'));

/** The answer for a session, plan, approval or call the caller cannot see (no existence leak). */
export function notFound(what: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `${what} was not found.` });
}

/** Maps a refused domain outcome to its tRPC error; passes an accepted one through. */
export function unlessRefused<T extends InputOutcome>(outcome: T): Extract<T, { ok: true }> {
  if (outcome.ok) return outcome as Extract<T, { ok: true }>;
  throw new TRPCError({ code: outcome.code, message: outcome.message });
}
