import type {
  Message,
  SessionEvent,
  SessionInput,
  SessionState,
  TransitionResult,
} from '@baton/domain';
import type { Database, Db } from '../client';
import { isUniqueViolation } from '../errors';
import type { Staged } from '../group-commit';
import { committingLocally } from '../local-events';
import { commitTransition } from './commit';
import type { ContextCache, ContextRead } from './context-cache';
import { findMessageIdByIdempotencyKey } from './messages';
import type { Access } from './sessions';
import { canSee, lockSession, toSession } from './sessions';
import { loadWorkingSet, prefetchCalls } from './working-set';

/** How long a model step's lease holds unless renewed (`BATON_LEASE_MS`'s default). */
export const DEFAULT_LEASE_MS = 30_000;

/** One input for one session, and what committing it needs. */
export interface ApplyInputArgs {
  readonly sessionId: string;
  readonly input: SessionInput;
  /**
   * The decision: given the working set loaded for `input` under the session lock, what to do
   * (the engine passes the domain's `transition`). The database only loads and remembers.
   */
  readonly decide: (state: SessionState) => TransitionResult;
  /** The clock reading (ms since the epoch) the decision was made at: leases and activity. */
  readonly now: number;
  /** Who will run the model steps this input starts: their lease is written in its name. */
  readonly holder: string;
  /** How long those leases hold (default {@link DEFAULT_LEASE_MS}). */
  readonly leaseMs?: number;
  /** Who is asking; another client's session is answered as not found. */
  readonly access?: Access;
  /** For a `user_message`: a repeated send with the same key replays the first one. */
  readonly idempotencyKey?: string;
  /** The process's cache of step contexts, which the steps this input starts are read through. */
  readonly contexts: ContextCache;
}

/** What applying an input did. */
export interface AppliedInput {
  readonly notFound: false;
  /** The domain's result, as committed. */
  readonly result: TransitionResult;
  /** The events it appended, with their ids and `seq`. */
  readonly events: readonly SessionEvent[];
  /**
   * For each model step it started (by step id): the messages that step is given, read in the
   * same transaction, so the step sees exactly the conversation that started it.
   */
  readonly contexts: ReadonlyMap<string, readonly Message[]>;
  /**
   * Set when the input was a repeat of a `user_message` sent with the same idempotency key: the
   * first send's message. Nothing was decided or written; `result.outcome` is `{ok, duplicate}`.
   */
  readonly replayedMessageId: string | null;
}

/** The answer for a session that does not exist, or that the caller may not see. */
export interface SessionNotFound {
  readonly notFound: true;
}

function unchanged(state: SessionState): TransitionResult {
  return {
    state,
    messages: [],
    effects: [],
    decisions: [],
    events: [],
    outcome: { ok: true, duplicate: true },
  };
}

/** What one attempt inside the transaction produced, and the context reads to remember. */
type Attempt = { applied: AppliedInput | SessionNotFound; reads: ContextRead[] };

/** An attempt that sends nothing more: its answer is known already. */
const settled = (attempt: Attempt): Staged<Attempt> => ({ send: () => Promise.resolve(attempt) });

/**
 * Locks the session, loads the working set and decides; resolves with the writes ready to send
 * (see {@link Database.groupTransaction}: the group sends every member's at once, then COMMIT).
 */
async function stage(tx: Db, args: ApplyInputArgs): Promise<Staged<Attempt>> {
  // Both sent at once, the lock first: one round trip (see prefetchCalls).
  const [stored, prefetched] = await Promise.all([
    lockSession(tx, args.sessionId),
    prefetchCalls(tx, args.sessionId, args.input),
  ]);
  if (!stored || !canSee(args.access, stored.clientId)) {
    return settled({ applied: { notFound: true }, reads: [] });
  }
  const session = toSession(stored);
  const state = await loadWorkingSet(tx, session, args.input, prefetched);
  if (args.input.type === 'user_message' && args.idempotencyKey !== undefined) {
    const first = await findMessageIdByIdempotencyKey(tx, {
      sessionId: session.id,
      idempotencyKey: args.idempotencyKey,
    });
    if (first !== null) {
      const applied: AppliedInput = {
        notFound: false,
        result: unchanged(state),
        events: [],
        contexts: new Map(),
        replayedMessageId: first,
      };
      return settled({ applied, reads: [] });
    }
  }
  const result = args.decide(state);
  return { send: () => send(tx, args, { state, lastSeq: stored.lastSeq, result }) };
}

/**
 * Sends the writes of a decided input and the context reads of the steps it starts (before it
 * returns: see {@link Staged}); resolves with what they answered.
 */
function send(
  tx: Db,
  args: ApplyInputArgs,
  decided: { state: SessionState; lastSeq: number; result: TransitionResult },
): Promise<Attempt> {
  const { state, result } = decided;
  const committed = commitTransition(tx, {
    loaded: state,
    lastSeq: decided.lastSeq,
    result,
    now: args.now,
    lease: { holder: args.holder, ms: args.leaseMs ?? DEFAULT_LEASE_MS },
    ...(args.input.type === 'user_message' && args.idempotencyKey !== undefined
      ? { idempotencyKey: args.idempotencyKey }
      : {}),
  });
  // Sent after the writes on the same connection: each started step's context includes the
  // messages just written.
  const contextReads = result.effects.flatMap((effect) =>
    effect.type === 'run_model_step'
      ? [
          args.contexts
            .read(tx, {
              sessionId: state.session.id,
              subtaskId: effect.owner.kind === 'subtask' ? effect.owner.subtaskId : null,
            })
            .then((read) => [effect.stepId, read] as const),
        ]
      : [],
  );
  return Promise.all([committed, ...contextReads]).then(([events, ...read]) => {
    const started = new Map(read.map(([stepId, context]) => [stepId, context.messages] as const));
    const applied: AppliedInput = {
      notFound: false,
      result,
      events,
      contexts: started,
      replayedMessageId: null,
    };
    return { applied, reads: read.map(([, context]) => context) };
  });
}

/**
 * Decides and commits one input, atomically: in one transaction it takes the session lock
 * ({@link lockSession}, the per-session serialization across processes and replicas), loads
 * the working set, asks `decide` (the engine's call of the domain) what to do, and writes the
 * result — changed records as
 * compare-and-set, new messages, decisions and events, the lease of any step it starts — then
 * NOTIFYs subscribers at commit. A refused input commits only what the domain recorded for it
 * (its decision). Anything that throws rolls the whole transaction back: nothing is left behind.
 */
export async function applyInput(
  database: Database,
  args: ApplyInputArgs,
): Promise<AppliedInput | SessionNotFound> {
  return committingLocally(
    database.localEvents,
    args.sessionId,
    () => applyOnce(database, args),
    (applied) => (applied.notFound ? [] : applied.events),
  );
}

async function applyOnce(
  database: Database,
  args: ApplyInputArgs,
): Promise<AppliedInput | SessionNotFound> {
  try {
    return await applyAndRemember(database, args);
  } catch (error) {
    // The session lock makes this race unreachable; the unique index is the final arbiter if it
    // ever is: the losing send rolled back, and applying it again replays the winner.
    if (
      args.idempotencyKey !== undefined &&
      isUniqueViolation(error, 'messages_session_idempotency_key_unique')
    ) {
      return applyAndRemember(database, args);
    }
    throw error;
  }
}

/**
 * One transaction, which other sessions' inputs of the same tick may share (group commit:
 * `stage` takes the session lock first); the contexts it read are remembered once it committed.
 */
async function applyAndRemember(
  database: Database,
  args: ApplyInputArgs,
): Promise<AppliedInput | SessionNotFound> {
  const attempt = await database.groupTransaction(args.sessionId, (tx) => stage(tx, args));
  for (const read of attempt.reads) read.remember();
  return attempt.applied;
}
