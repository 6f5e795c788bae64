import type { BatonClient, BatonOutputs } from '@baton/client';
import type { SessionEvent } from '@baton/domain';
import type { DecidedInput, InputAttempts } from './chaos-driver';
import { eventsOf } from './event-data';

/** One entry of the decision log, as `decisions.list` returns it. */
export type LoggedDecision = BatonOutputs['decisions']['list']['items'][number];

/** The whole decision log of a session, every page of it. */
export async function decisionLog(client: BatonClient, sessionId: string) {
  const items: LoggedDecision[] = [];
  let cursor: string | null = null;
  do {
    const page: BatonOutputs['decisions']['list'] = await client.decisions.list.query({
      sessionId,
      limit: 200,
      cursor,
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

/** The decisions that accept an input: the first accepted submission of each. */
const ACCEPTS: Record<DecidedInput, readonly string[]> = {
  tool_result: ['continue_agent', 'resume_subtask', 'wait_for_siblings'],
  approval_decision: ['approval_granted'],
  plan_decision: ['approval_granted'],
};

/** The call, approval or plan a decision's recorded input is about, as `type:key`. */
function inputOf(decision: LoggedDecision): string | null {
  const input = decision.input as Record<string, unknown> | null;
  const key = { tool_result: 'callId', approval_decision: 'approvalId', plan_decision: 'planId' }[
    String(input?.['type'])
  ];
  return key ? `${String(input?.['type'])}:${String(input?.[key])}` : null;
}

/** What one session's decisions must add up to besides the client's inputs. */
export interface ExpectedDecisions {
  readonly planAdvanced: number;
  readonly planCompleted: number;
}

/**
 * Accounts for every decision of a session (SPEC §6): the log and the stream's `decision`
 * events hold the same decisions, once each; every input the client sent has exactly one
 * accepting decision and one `duplicate_ignored` per further copy that reached the runtime
 * (at least the copies answered, at most those plus the ones a crash cut off; a refused
 * connection reached nothing); every answer
 * a tool result got names the accepting decision; the coordinator moved as often as the plan
 * has subtasks; every `lease_recovered` took a step over once, and every `stale_worker_fenced`
 * refused a step that was taken over. Returns what does not add up; empty when sound.
 */
export function accountDecisions(args: {
  log: readonly LoggedDecision[];
  events: readonly SessionEvent[];
  inputs: Iterable<InputAttempts>;
  expected: ExpectedDecisions;
}): string[] {
  const problems: string[] = [];
  const { log } = args;
  const streamed = eventsOf(args.events, 'decision').map((e) => e.data.id);
  const logged = log.map((d) => d.id);
  const twice = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);
  for (const id of twice(logged)) problems.push(`decision ${id} is in the log twice`);
  for (const id of twice(streamed)) problems.push(`decision ${id} was streamed twice`);
  for (const id of logged.filter((id) => !streamed.includes(id)))
    problems.push(`decision ${id} is in the log but never streamed`);
  for (const id of streamed.filter((id) => !logged.includes(id)))
    problems.push(`decision ${id} was streamed but is not in the log`);

  const claimed = new Set<string>();
  const claim = (decisions: readonly LoggedDecision[]) => {
    for (const d of decisions) claimed.add(d.id);
  };
  const describe = (d: LoggedDecision) => `${d.kind} (${d.reason})`;

  for (const input of args.inputs) {
    const id = `${input.type}:${input.key}`;
    const about = log.filter((d) => inputOf(d) === id);
    claim(about);
    const accepting = about.filter((d) => ACCEPTS[input.type].includes(d.kind));
    const duplicates = about.filter((d) => d.kind === 'duplicate_ignored');
    const other = about.filter((d) => !accepting.includes(d) && !duplicates.includes(d));
    if (accepting.length !== 1)
      problems.push(`${id}: ${accepting.length} accepting decisions, not 1`);
    if (other.length > 0) problems.push(`${id}: unexpected ${other.map(describe).join(', ')}`);
    const reached = about.length;
    const answered = input.answers.length;
    if (reached < answered || reached > answered + input.lost) {
      problems.push(
        `${id}: ${reached} decisions for ${answered} answered attempts and ${input.lost} cut off`,
      );
    }
    if (input.answers.filter((a) => a.duplicate === false).length > 1)
      problems.push(`${id}: more than one attempt was told it was the first`);
    const kind = accepting[0]?.kind;
    const told = input.answers.map((a) => a.decision).filter((d) => d !== null);
    if (kind && told.some((d) => d !== kind))
      problems.push(`${id}: answers said ${told.join(', ')} but the log says ${kind}`);
  }

  const ofKind = (kind: string) => log.filter((d) => d.kind === kind);
  const counted = (kind: string, expected: number) => {
    const found = ofKind(kind);
    claim(found);
    if (found.length !== expected) problems.push(`${found.length} ${kind}, expected ${expected}`);
  };
  counted('plan_advanced', args.expected.planAdvanced);
  counted('plan_completed', args.expected.planCompleted);

  const recovered = ofKind('lease_recovered');
  claim(recovered);
  const fenceOf = (d: LoggedDecision) => d.input as { stepId?: string; fence?: number };
  const takeovers = recovered.map((d) => `${fenceOf(d).stepId} at fence ${fenceOf(d).fence}`);
  for (const takeover of twice(takeovers)) problems.push(`step ${takeover} was recovered twice`);
  for (const fenced of ofKind('stale_worker_fenced')) {
    claim([fenced]);
    const { stepId, fence = 0 } = fenceOf(fenced);
    const takenOver = recovered.some(
      (d) => fenceOf(d).stepId === stepId && (fenceOf(d).fence ?? 0) >= fence,
    );
    if (!takenOver) problems.push(`step ${stepId} was fenced at ${fence} but never taken over`);
  }

  for (const d of log.filter((d) => !claimed.has(d.id)))
    problems.push(`decision ${d.id} is not accounted for: ${describe(d)}`);
  return problems;
}

/** How many decisions of each kind `log` holds, for the report. */
export function countByKind(log: readonly LoggedDecision[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of log) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  return counts;
}
