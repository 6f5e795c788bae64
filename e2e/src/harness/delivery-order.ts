import type { SessionEvent } from '@baton/domain';

/**
 * What is wrong with the order a stream delivered `events` in (empty: nothing): SPEC §7 wants
 * ids that increase as text in delivery order, and each session's events in `seq` order with no
 * gap and no repeat. A stream that starts mid-session (resumed, or a global feed from `now`) is
 * checked from the first `seq` it delivered of each session.
 */
export function deliveryOrderProblems(events: readonly SessionEvent[]): string[] {
  const problems: string[] = [];
  const lastSeq = new Map<string, number>();
  for (const [i, event] of events.entries()) {
    const before = events[i - 1];
    if (before && !(before.id < event.id)) {
      problems.push(`${event.id} (${event.sessionId} #${event.seq}) came after ${before.id}`);
    }
    const previous = lastSeq.get(event.sessionId);
    if (previous !== undefined && event.seq !== previous + 1) {
      problems.push(`${event.sessionId}: #${event.seq} came after #${previous}`);
    }
    lastSeq.set(event.sessionId, event.seq);
  }
  return problems;
}
