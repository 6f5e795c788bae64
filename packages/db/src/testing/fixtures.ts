import type {
  DomainConfig,
  IdKind,
  SessionInput,
  SessionState,
  StepToolCall,
  TransitionResult,
} from '@baton/domain';
import { defaultDomainConfig, transition } from '@baton/domain';
import { eq } from 'drizzle-orm';
import type { Database } from '../client';
import type { AppliedInput, ApplyInputArgs } from '../repo/apply-input';
import { applyInput } from '../repo/apply-input';
import type { ContextCache } from '../repo/context-cache';
import { createContextCache } from '../repo/context-cache';
import { newId, sha256Hex } from '../ids';
import { appendEvents, notifyEvents } from '../repo/events';
import { createSession, lockSession } from '../repo/sessions';
import { sessions } from '../schema';

/** A test clock: milliseconds since the epoch, moved by hand. */
export interface Clock {
  now: number;
}

/** A clock at a fixed start. */
export function testClock(start = Date.UTC(2030, 0, 1)): Clock {
  return { now: start };
}

/**
 * The decision the runtime's engine makes: the domain's transition at `now`, with `config`
 * (default: SPEC defaults), ids from `ids` (default: unique ones) and SHA-256 digests.
 */
export function decideAt(
  input: SessionInput,
  now: number,
  options: { config?: Partial<DomainConfig>; ids?: (kind: IdKind) => string } = {},
): (state: SessionState) => TransitionResult {
  const config = { ...defaultDomainConfig, ...options.config };
  return (state) =>
    transition(state, input, { now, config, newId: options.ids ?? newId, digest: sha256Hex });
}

const caches = new WeakMap<Database, ContextCache>();

/** The context cache of the process holding `database` (one per database, as in the runtime). */
export function contextsOf(database: Database): ContextCache {
  let cache = caches.get(database);
  if (!cache) caches.set(database, (cache = createContextCache()));
  return cache;
}

/** Applies `input` and fails the test when the session is not found. */
export async function apply(
  database: Database,
  args: Omit<ApplyInputArgs, 'decide' | 'now' | 'holder' | 'contexts'> & {
    clock: Clock;
    config?: Partial<DomainConfig>;
    holder?: string;
    newId?: (kind: IdKind) => string;
  },
): Promise<AppliedInput> {
  const { clock, config, holder, newId: ids, ...rest } = args;
  const applied = await applyInput(database, {
    ...rest,
    decide: decideAt(args.input, clock.now, {
      ...(config ? { config } : {}),
      ...(ids ? { ids } : {}),
    }),
    now: clock.now,
    holder: holder ?? 'worker-a',
    contexts: contextsOf(database),
  });
  if (applied.notFound) throw new Error(`session ${args.sessionId} not found`);
  return applied;
}

/** A new session, with its id. */
export async function newSession(
  database: Database,
  clock: Clock,
  options: { clientId?: string | null; title?: string } = {},
): Promise<string> {
  const { session } = await createSession(database, { ...options, ctx: { now: clock.now } });
  return session.id;
}

/** The `model_step_completed` input for the step a run is on. */
export function stepDone(
  applied: AppliedInput,
  text: string,
  toolCalls: { name: string; arguments: Record<string, unknown> }[] = [],
): SessionInput {
  const run = applied.result.state.session.run;
  if (run.status !== 'model_step') throw new Error(`no step in flight (run is ${run.status})`);
  return {
    type: 'model_step_completed',
    stepId: run.stepId,
    fence: run.fence,
    text,
    toolCalls: toolCalls as unknown as StepToolCall[],
  };
}

/** A session whose run waits on one dispatched `read_file` call; returns the call's id. */
export async function sessionAwaitingOneCall(
  database: Database,
  clock: Clock,
): Promise<{ sessionId: string; callId: string }> {
  const sessionId = await newSession(database, clock);
  const started = await apply(database, {
    sessionId,
    clock,
    input: { type: 'user_message', text: 'read a.ts' },
  });
  const stepped = await apply(database, {
    sessionId,
    clock,
    input: stepDone(started, 'reading', [{ name: 'read_file', arguments: { path: 'a.ts' } }]),
  });
  const [call] = Object.values(stepped.result.state.calls);
  if (!call) throw new Error('the step made no call');
  return { sessionId, callId: call.id };
}

/**
 * Appends an `error` event to the session in a transaction on `database` that stays open until
 * `release()` is called; resolves once the event is written, not yet committed. `committed`
 * settles when the transaction has committed.
 */
export async function eventInOpenTransaction(
  database: Database,
  clock: Clock,
  sessionId: string,
): Promise<{ release: () => void; committed: Promise<void> }> {
  let written: () => void = () => undefined;
  const wasWritten = new Promise<void>((resolve) => (written = resolve));
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const committed = database.transaction(async (tx) => {
    const session = await lockSession(tx, sessionId);
    if (!session) throw new Error(`session ${sessionId} not found`);
    await appendEvents(tx, {
      sessionId,
      afterSeq: session.lastSeq,
      events: [{ type: 'error', at: new Date(clock.now).toISOString(), data: { message: 'slow' } }],
    });
    await tx
      .update(sessions)
      .set({ lastSeq: session.lastSeq + 1 })
      .where(eq(sessions.id, sessionId));
    await notifyEvents(tx, sessionId, session.lastSeq + 1);
    written();
    await released;
  });
  await wasWritten;
  return { release, committed };
}
