import type { BatonClient } from '@baton/client';
import type { SessionEvent } from '@baton/domain';
import type { EventStream } from './stream';
import { asError, followStream, sessionEvents } from './stream';

/** Where one request goes, and what to do when it gets no answer at all. */
export interface Route {
  readonly client: BatonClient;
  /**
   * After the `attempt`-th try of a request got no answer: resolves when it may be sent again
   * (on the next route), rejects when it may not.
   */
  readonly afterFailure: (error: Error, attempt: number) => Promise<void>;
}

/** The inputs of a client that SPEC §6 gives a decision each. */
export type DecidedInput = 'tool_result' | 'approval_decision' | 'plan_decision';

/** What one attempt was told. */
export interface Answer {
  readonly decision: string | null;
  readonly duplicate: boolean | null;
}

/** Every attempt at one input, for the decision accounting. */
export interface InputAttempts {
  readonly type: DecidedInput;
  /** The call, approval or plan the input is about. */
  readonly key: string;
  /**
   * One per answered attempt: what a tool result was told (`decision`, and whether it was a
   * `duplicate`); null where the answer does not say (an approval answers with its record).
   */
  readonly answers: Answer[];
  /** Attempts that got no answer (the runtime died under them): each may or may not have landed. */
  lost: number;
  /** Attempts whose connection was refused (no runtime listening): none of them landed. */
  unsent: number;
}

/** A client that carries a session through crashes and over replicas (see {@link driveThrough}). */
export interface ChaosDriver {
  readonly sessionId: string;
  /** The events received, over every subscription. */
  readonly stream: EventStream;
  /** Every input sent, by `type:key`. */
  readonly inputs: ReadonlyMap<string, InputAttempts>;
  /** Requests that were refused or failed on a live runtime; a sound run has none. */
  readonly failures: readonly Error[];
  /** Subscriptions that ended in an error (each is resumed at the next restart). */
  readonly streamErrors: readonly Error[];
  /** The first `run.state` → `idle`: the run the message started is over. */
  readonly finished: Promise<SessionEvent>;
  /** Sends the message that starts the run, with an idempotency key so a retry is harmless. */
  send(content: string): Promise<void>;
  /** Follows the stream on `subscriber` from the last event received (after a restart). */
  resume(subscriber: BatonClient): void;
  /** Resolves once every request made so far has its answer. */
  settled(): Promise<void>;
  close(): void;
}

/** Whether `error` says no connection was made, so nothing reached a runtime. */
function neverConnected(error: unknown): boolean {
  let cause = error;
  for (let depth = 0; depth < 8 && typeof cause === 'object' && cause !== null; depth += 1) {
    if ((cause as { code?: unknown }).code === 'ECONNREFUSED') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** Whether `error` is an answer of the runtime (a tRPC error) rather than no answer at all. */
function isAnswer(error: unknown): boolean {
  const data = (error as { data?: { code?: unknown } } | null)?.data;
  return typeof data?.code === 'string';
}

/** How many times in a row a live runtime may leave one request without an answer. */
export const LIVE_RETRIES = 5;

/**
 * The {@link Route.afterFailure} of runtimes that stay up: under load one can still drop a
 * connection (a keep-alive socket closed as it is reused), so the request is sent again at
 * once, up to {@link LIVE_RETRIES} times in a row.
 */
export function retryAtOnce(error: Error, attempt: number): Promise<void> {
  if (attempt < LIVE_RETRIES) return Promise.resolve();
  return Promise.reject(
    new Error(`no answer ${attempt} times: ${error.message}`, { cause: error }),
  );
}

/**
 * Sends a request on one route after another until a runtime answers, as a client does when a
 * connection drops. Each try without an answer is counted by `onLost` (`unsent`: the
 * connection was refused, so nothing arrived). Rejects with the runtime's refusal, or when
 * the route says not to try again.
 */
export async function untilAnswered<T>(
  route: () => Route,
  send: (client: BatonClient) => Promise<T>,
  onLost: (unsent: boolean) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const { client, afterFailure } = route();
    try {
      return await send(client);
    } catch (error) {
      if (isAnswer(error)) throw error;
      onLost(neverConnected(error));
      await afterFailure(asError(error), attempt);
    }
  }
}

/**
 * Drives `sessionId` as an IDE would, through runtimes that die and replicas picked at random:
 * every dispatched call is answered and every approval (a tool's or the plan's) approved, each
 * `copies()` times at once, each copy on the `route()` of its own. A request that gets no
 * answer is sent again once its route says so (after the restart); a refusal is a failure.
 * Every attempt is counted, so the decisions can be accounted for afterwards.
 */
export function driveThrough(args: {
  sessionId: string;
  route: () => Route;
  subscriber: BatonClient;
  copies?: () => number;
  /** Sees every event received, once recorded. */
  onEvent?: (event: SessionEvent) => void;
}): ChaosDriver {
  const { sessionId } = args;
  const copies = args.copies ?? (() => 1);
  const inputs = new Map<string, InputAttempts>();
  const failures: Error[] = [];
  const streamErrors: Error[] = [];
  const pending = new Set<Promise<unknown>>();
  let finish = (_event: SessionEvent): void => undefined;
  const finished = new Promise<SessionEvent>((resolve) => (finish = resolve));

  /** Sends until answered (see {@link untilAnswered}); a refusal is a failure, and null. */
  const deliver = <T>(
    what: string,
    send: (client: BatonClient) => Promise<T>,
    onLost: (unsent: boolean) => void,
  ): Promise<T | null> =>
    untilAnswered(args.route, send, onLost).catch((error: unknown) => {
      const refused = isAnswer(error) ? 'was refused' : 'got no answer';
      failures.push(new Error(`${what} ${refused}: ${asError(error).message}`));
      return null;
    });

  const track = (promise: Promise<unknown>): void => {
    const tracked = promise.finally(() => pending.delete(tracked));
    pending.add(tracked);
  };

  const answer = (
    type: DecidedInput,
    key: string,
    send: (client: BatonClient) => Promise<Answer>,
  ): void => {
    const id = `${type}:${key}`;
    if (inputs.has(id)) return;
    const attempts: InputAttempts = { type, key, answers: [], lost: 0, unsent: 0 };
    inputs.set(id, attempts);
    const onLost = (unsent: boolean): void => {
      if (unsent) attempts.unsent += 1;
      else attempts.lost += 1;
    };
    const n = copies();
    for (let copy = 0; copy < n; copy += 1) {
      track(
        deliver(`${type} ${key}`, send, onLost).then((answered) => {
          if (answered) attempts.answers.push(answered);
        }),
      );
    }
  };

  const act = (event: SessionEvent): void => {
    if (event.type === 'run.state' && event.data.to === 'idle') finish(event);
    if (event.type === 'tool_call.dispatched') {
      const { callId, name } = event.data;
      answer('tool_result', callId, (client) =>
        client.toolResults.submit.mutate({ sessionId, callId, result: `${name}: ok` }),
      );
    } else if (event.type === 'approval.requested') {
      const { approvalId, planId } = event.data;
      if (event.data.kind === 'plan' && planId) {
        answer('plan_decision', planId, async (client) => {
          await client.plans.decide.mutate({ planId, decision: 'approve' });
          return { decision: null, duplicate: null };
        });
      } else {
        answer('approval_decision', approvalId, async (client) => {
          await client.approvals.decide.mutate({ sessionId, approvalId, decision: 'approve' });
          return { decision: null, duplicate: null };
        });
      }
    }
    args.onEvent?.(event);
  };

  const subscribeOn = (client: BatonClient) => {
    const subscribe = sessionEvents(client, sessionId);
    return (
      from: string | null,
      onEvent: (event: SessionEvent) => void,
      onError: (error: Error) => void,
    ) =>
      subscribe(from, onEvent, (error) => {
        streamErrors.push(error);
        onError(error);
      });
  };
  const stream = followStream(subscribeOn(args.subscriber), null, act);

  return {
    sessionId,
    stream,
    inputs,
    failures,
    streamErrors,
    finished,
    async send(content) {
      const sent = deliver(
        `sending the message of ${sessionId}`,
        (client) =>
          client.messages.send.mutate({ sessionId, content, idempotencyKey: `start ${sessionId}` }),
        () => undefined,
      );
      track(sent);
      await sent;
    },
    resume(subscriber) {
      stream.resume(subscribeOn(subscriber));
    },
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    close: () => stream.close(),
  };
}
