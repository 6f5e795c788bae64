import type { BatonOutputs } from '@baton/client';
import type { SessionEvent } from '@baton/domain';
import { eventsOf } from './driver';

/** What `sessions.get` returns. */
export type SessionDetails = BatonOutputs['sessions']['get'];

/** Everything in a finished session that was done more (or less) than once; all empty when sound. */
export interface OnceAudit {
  /** Call ids with more than one `tool_call.dispatched` event. */
  readonly dispatchedTwice: string[];
  /** Dispatched calls the session does not record as dispatched, and the reverse. */
  readonly dispatchedButNotRecorded: string[];
  readonly recordedButNotDispatched: string[];
  /** Client calls still without a result. */
  readonly unresolved: string[];
  /** Messages of one context with the same step, role and content. */
  readonly duplicateMessages: string[];
  /** Steps with more than one assistant message. */
  readonly stepsAnsweredTwice: string[];
  /** Event `seq`s out of 1..n, and event ids seen twice. */
  readonly seqGaps: number[];
  readonly eventsTwice: string[];
}

function repeated(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const key of keys) (seen.has(key) ? twice : seen).add(key);
  return [...twice];
}

/**
 * Checks the exactly-once promises of SPEC §3.5.2 over a session's records and its full event
 * stream (from the first event): every call dispatched once, no message duplicated, events
 * gap-free.
 */
export function auditOnce(details: SessionDetails, events: readonly SessionEvent[]): OnceAudit {
  const dispatched = eventsOf(events, 'tool_call.dispatched').map((e) => e.data.callId);
  const recorded = details.calls.filter((c) => c.dispatchedAt !== null).map((c) => c.id);
  const messageKey = (m: SessionDetails['messages'][number]) =>
    JSON.stringify([m.subtaskId, m.stepId, m.body.role, m.body]);
  const assistantSteps = details.messages
    .filter((m) => m.body.role === 'assistant')
    .map((m) => `${m.subtaskId ?? 'session'}/${m.stepId}`);
  return {
    dispatchedTwice: repeated(dispatched),
    dispatchedButNotRecorded: dispatched.filter((id) => !recorded.includes(id)),
    recordedButNotDispatched: recorded.filter((id) => !dispatched.includes(id)),
    unresolved: details.calls
      .filter((c) => c.status !== 'resolved')
      .map((c) => `${c.id} ${c.status}`),
    duplicateMessages: repeated(details.messages.map(messageKey)),
    stepsAnsweredTwice: repeated(assistantSteps),
    seqGaps: events.map((e, i) => (e.seq === i + 1 ? 0 : e.seq)).filter((seq) => seq !== 0),
    eventsTwice: repeated(events.map((e) => e.id)),
  };
}

/** The audit of a sound session. */
export const SOUND: OnceAudit = {
  dispatchedTwice: [],
  dispatchedButNotRecorded: [],
  recordedButNotDispatched: [],
  unresolved: [],
  duplicateMessages: [],
  stepsAnsweredTwice: [],
  seqGaps: [],
  eventsTwice: [],
};
