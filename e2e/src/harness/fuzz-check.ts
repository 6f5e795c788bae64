import type { RuntimeProcess } from './runtime-process';
import type { Snapshot, SnapshotSource } from './fuzz-database';
import { diffSnapshots } from './fuzz-database';
import { areRecordedDecisions } from './fuzz-expect';
import type { Answer } from './fuzz-http';

/**
 * The two halves of the fuzz's property, checked after every request: the answer is one the
 * request may get (never a 5xx), and the database changed only if the request was accepted (or
 * by the one trace SPEC §7 allows a refusal). Failures say what was sent, what came back, what
 * the runtime logged and which rows changed.
 */

/** What the answer amounts to: 'OK', the tRPC codes, the bare HTTP status, or 'CLOSED'. */
export function outcomeOf(answer: Answer): string[] {
  if (answer.status >= 200 && answer.status < 300) return ['OK'];
  if (answer.status === 0) return ['CLOSED'];
  return answer.codes.length > 0 ? [...answer.codes] : [String(answer.status)];
}

/** Codes that mean the server failed, not the request. */
const SERVER_FAILURES = new Set([
  'INTERNAL_SERVER_ERROR',
  'NOT_IMPLEMENTED',
  'BAD_GATEWAY',
  'SERVICE_UNAVAILABLE',
  'GATEWAY_TIMEOUT',
]);

/** Whether an answer is a failure of the server (a 5xx or a 5xx code inside a 200 stream). */
export const isServerFailure = (answer: Answer): boolean =>
  answer.status >= 500 || answer.codes.some((code) => SERVER_FAILURES.has(code));

/** Counts of what the fuzz sent and got, for the summary. */
export interface FuzzStats {
  requests: number;
  readonly outcomes: Map<string, number>;
  readonly perProcedure: Map<string, number>;
}

/** One call of a request (a batch has several): what it got and what it may get. */
export interface CallVerdict {
  readonly outcome: readonly string[];
  readonly allowed: readonly string[];
  readonly because: string;
  /**
   * What its acceptance may do to the database: `read` nothing, `noop` only record its decision,
   * `harmless` anything; `none`: it must be refused.
   */
  readonly acceptance: 'read' | 'none' | 'harmless' | 'noop';
  /**
   * The caller's own session this call is about: a refusal there, or an accepted no-op, may
   * leave its decision record.
   */
  readonly traceSession?: string;
}

/** Checks requests: their answers, and the database after each against the one before. */
export interface FuzzChecker {
  readonly stats: FuzzStats;
  /** Where the runtime's log stands now: pass it to {@link FuzzChecker.judge}. */
  logMark(): number;
  /**
   * Counts a request, takes a snapshot and throws a report unless no call failed on the server,
   * every call got an allowed answer, and the database changed only as accepted calls may.
   */
  judge(request: {
    label: string;
    sent: string;
    answer: unknown;
    serverFailure: boolean;
    calls: readonly CallVerdict[];
    logMark: number;
  }): Promise<void>;
}

/** A checker over `snapshots`, starting from the database as it is now. */
export async function createFuzzChecker(
  snapshots: SnapshotSource,
  runtime: RuntimeProcess,
): Promise<FuzzChecker> {
  let baseline: Snapshot = await snapshots.take();
  const stats: FuzzStats = { requests: 0, outcomes: new Map(), perProcedure: new Map() };
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const serverErrorsSince = (mark: number) =>
    runtime.logs.slice(mark).filter((line) => /"level":(5|6)\d/.test(line));

  return {
    stats,
    logMark: () => runtime.logs.length,
    async judge({ label, sent, answer, serverFailure, calls, logMark }) {
      const after = await snapshots.take();
      const changes = diffSnapshots(baseline, after);
      baseline = after;
      stats.requests += 1;
      bump(stats.perProcedure, label);
      for (const call of calls) for (const outcome of call.outcome) bump(stats.outcomes, outcome);

      const fail = (what: string): never => {
        throw new Error(
          report({
            failure: what,
            sent,
            answer,
            expected: calls.map((c) => `${c.allowed.join(' | ')} (${c.because})`).join('; '),
            serverErrors: serverErrorsSince(logMark).join('\n') || '(none logged)',
            changedRows: changes,
          }),
        );
      };
      if (serverFailure) fail('the runtime answered with a server error');
      if (!calls.every((c) => c.outcome.every((o) => c.allowed.includes(o)))) {
        fail('an answer outside the expected ones');
      }
      if (changes.length === 0) return;
      const accepted = (c: CallVerdict) => c.outcome.includes('OK');
      if (calls.some((c) => accepted(c) && c.acceptance === 'harmless')) return;
      // A refusal, or an accepted repeat, in the caller's own session may record its decision.
      const recorded = calls.filter(
        (c) => c.traceSession !== undefined && (!accepted(c) || c.acceptance === 'noop'),
      );
      const traces = new Set(recorded.map((c) => c.traceSession as string));
      if (areRecordedDecisions(changes, traces, recorded.length)) return;
      fail(
        calls.some(accepted)
          ? 'an accepted read or no-op changed the database'
          : 'a refused request changed the database',
      );
    },
  };
}

/** A failure report: each part on its own lines, long values clipped. */
export function report(parts: Record<string, unknown>): string {
  const clip = (s: string) => (s.length > 1500 ? `${s.slice(0, 1500)}… (${s.length} chars)` : s);
  return Object.entries(parts)
    .map(([k, v]) => `${k}: ${clip(typeof v === 'string' ? v : JSON.stringify(v, null, 1))}`)
    .join('\n');
}
