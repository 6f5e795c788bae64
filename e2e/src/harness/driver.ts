import type { BatonClient } from '@baton/client';
import type { JsonValue, SessionEvent } from '@baton/domain';
import type { EventStream } from './stream';
import { asError, followStream, sessionEvents } from './stream';

/** What the driver answered to one tool call. */
export interface Answer {
  readonly callId: string;
  readonly decision: string;
  readonly duplicate: boolean;
}

/** A client that carries a session through: it answers every dispatched call and approves. */
export interface SessionDriver {
  /** The session's events, as the driver received them (across resumes). */
  readonly stream: EventStream;
  readonly answers: readonly Answer[];
  /** Requests that failed; a scenario expects none. */
  readonly failures: readonly Error[];
  /** Resolves once every request made so far has its answer. */
  settled(): Promise<void>;
  /**
   * Points the driver's requests at other runtimes and, given a `subscriber`, resumes its stream
   * there from the last event received (after a restart).
   */
  redirect(clients: () => BatonClient, subscriber?: BatonClient): void;
  close(): void;
}

/** A dispatched call as the driver sees it. */
export type DispatchedCall = Extract<SessionEvent, { type: 'tool_call.dispatched' }>['data'];

/**
 * Drives `sessionId` as an IDE would: every `tool_call.dispatched` is answered with
 * `toolResults.submit` (the result `resultOf` gives), every approval request — a tool call's or
 * a plan's — is approved. `clients` picks the client of each request (one runtime, or one of
 * several replicas at random); `subscriber` is the one whose stream the driver follows.
 */
export function driveSession(args: {
  sessionId: string;
  clients: () => BatonClient;
  subscriber: BatonClient;
  resultOf?: (call: DispatchedCall) => JsonValue;
}): SessionDriver {
  const { sessionId } = args;
  const resultOf =
    args.resultOf ?? ((call) => `${call.name} ${JSON.stringify(call.arguments)}: ok`);
  let clients = args.clients;
  const answers: Answer[] = [];
  const failures: Error[] = [];
  const pending = new Set<Promise<unknown>>();
  const handled = new Set<string>();

  const request = (what: string, send: (client: BatonClient) => Promise<unknown>): void => {
    const sent = send(clients())
      .catch((error: unknown) => {
        failures.push(new Error(`${what} failed: ${asError(error).message}`));
      })
      .finally(() => pending.delete(sent));
    pending.add(sent);
  };

  const act = (event: SessionEvent): void => {
    if (event.type === 'tool_call.dispatched') {
      const call = event.data;
      if (handled.has(call.callId)) return;
      handled.add(call.callId);
      request(`submitting the result of ${call.name} ${call.callId}`, async (client) => {
        const answer = await client.toolResults.submit.mutate({
          sessionId,
          callId: call.callId,
          result: resultOf(call),
        });
        answers.push({ callId: call.callId, ...answer });
      });
    } else if (event.type === 'approval.requested') {
      const { approvalId, planId } = event.data;
      if (handled.has(approvalId)) return;
      handled.add(approvalId);
      request(`approving ${approvalId}`, (client) =>
        event.data.kind === 'plan' && planId
          ? client.plans.decide.mutate({ planId, decision: 'approve' })
          : client.approvals.decide.mutate({ sessionId, approvalId, decision: 'approve' }),
      );
    }
  };

  const stream = followStream(sessionEvents(args.subscriber, sessionId), null, act);

  return {
    stream,
    answers,
    failures,
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    redirect(next, subscriber) {
      clients = next;
      if (subscriber) stream.resume(sessionEvents(subscriber, sessionId));
    },
    close: () => stream.close(),
  };
}

/** Picks one of `items` at random for every call. */
export function atRandom<T>(items: readonly T[]): () => T {
  return () => {
    const item = items[Math.floor(Math.random() * items.length)];
    if (item === undefined) throw new Error('atRandom needs at least one item');
    return item;
  };
}

/** Matches `run.state` → `to` after the event at `afterSeq`. */
export const runStateAfter =
  (to: string, afterSeq = 0) =>
  (event: SessionEvent): boolean =>
    event.seq > afterSeq && event.type === 'run.state' && event.data.to === to;

/** The events of one type, typed. */
export function eventsOf<T extends SessionEvent['type']>(
  events: readonly SessionEvent[],
  type: T,
): Extract<SessionEvent, { type: T }>[] {
  return events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
}
