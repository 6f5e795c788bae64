import type { BatonClient } from '@baton/client';
import { eventsOf } from './event-data';
import { recordEvents, runIdleAfter } from './events';
import type { Scenario, Script } from './scenario';
import { ADMIN_TOKEN } from './scenario';

/**
 * The sessions, plans, approvals, calls and tokens the input fuzz aims at: live ones of the
 * calling client, another client's, finished ones and revoked ones, each settled (no model step
 * in flight) so that the database only changes when a request changes it.
 */

/** The plan the orchestrator proposes in every fuzz session that plans. */
const PLAN = {
  goal: 'Tidy the docs',
  subtasks: [
    { title: 'Tidy', description: 'Tidy the docs folder.', agent: 'coder', dependsOn: [] },
    { title: 'Check', description: 'Run the checks.', agent: 'debug', dependsOn: [0] },
  ],
};

/** What the model does in the fuzz scenario: one read, one gated write, one plan. */
export const FUZZ_SCRIPT: Script = {
  agents: {
    ask: [
      { toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }] },
      { text: 'Read it.' },
    ],
    coder: [{ toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'a' } }] }],
    orchestrator: [{ text: 'A plan.', toolCalls: [{ name: 'create_plan', arguments: PLAN }] }],
  },
};

/** Who calls: no token, a bad one, or a token of each role. */
export const CALLERS = [
  'none',
  'malformed',
  'unknown',
  'revoked',
  'client',
  'otherClient',
  'operator',
  'admin',
] as const;
/** A kind of caller. */
export type CallerKind = (typeof CALLERS)[number];

/** The role a caller authenticates with, or null when it does not authenticate. */
export const roleOf = (caller: CallerKind): 'client' | 'operator' | 'admin' | null =>
  caller === 'client' || caller === 'otherClient'
    ? 'client'
    : caller === 'operator' || caller === 'admin'
      ? caller
      : null;

/** The result the settled idle session's read was answered with (resubmitting it is a duplicate). */
export const RESOLVED_RESULT = 'README contents';

type Owner = 'client' | 'otherClient';

/** One fixture session. */
export interface FuzzSession {
  readonly id: string;
  readonly owner: Owner;
  readonly status: 'idle' | 'awaiting_tools' | 'awaiting_approval' | 'awaiting_plan_decision';
  /** The id of its first event (more follow it, so a stream from here has data at once). */
  readonly firstEventId: string;
}

/** Everything the fuzz aims at, and the bearer token of every kind of caller. */
export interface FuzzWorld {
  readonly tokens: Record<Exclude<CallerKind, 'none' | 'malformed'>, string>;
  readonly sessions: readonly FuzzSession[];
  /** Dispatched calls with no result yet: a result would continue a run. */
  readonly openCalls: ReadonlyMap<string, string>;
  /** Calls with a result (`RESOLVED_RESULT`), and calls awaiting approval (not dispatched). */
  readonly resolvedCalls: readonly string[];
  readonly gatedCalls: readonly string[];
  /** Approvals still pending (tool and plan), and decided ones, by id → session. */
  readonly pendingApprovals: ReadonlyMap<string, string>;
  readonly decidedApprovals: ReadonlyMap<string, string>;
  /** Plans awaiting their decision (active) and rejected (terminal), by id → session. */
  readonly activePlans: ReadonlyMap<string, string>;
  readonly rejectedPlans: ReadonlyMap<string, string>;
  readonly subtasks: readonly string[];
  /** Token ids: live ones (revoking them would break the fuzz) and the revoked one. */
  readonly liveTokenIds: readonly string[];
  readonly revokedTokenId: string;
  /** Real keyset cursors, of the session list and of the decision log. */
  readonly cursors: readonly string[];
}

/** Whether `caller` can see `sessionId` (its own, or any for an operator or admin). */
export function canSee(world: FuzzWorld, caller: CallerKind, sessionId: unknown): boolean {
  const session = world.sessions.find((s) => s.id === sessionId);
  if (!session) return false;
  const role = roleOf(caller);
  return role === 'operator' || role === 'admin' || (role === 'client' && session.owner === caller);
}

/**
 * The session a request is about, when `caller` can see it: its `sessionId`, or its plan's
 * session. A refusal there may leave the trace SPEC §7 allows (a recorded decision).
 */
export function visibleTarget(
  world: FuzzWorld,
  caller: CallerKind,
  input: unknown,
): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const { sessionId, planId } = input as { sessionId?: unknown; planId?: unknown };
  const target =
    typeof sessionId === 'string'
      ? sessionId
      : typeof planId === 'string'
        ? (world.activePlans.get(planId) ?? world.rejectedPlans.get(planId))
        : undefined;
  return target !== undefined && canSee(world, caller, target) ? target : undefined;
}

/**
 * Whether a request by a client token names another client's session or plan: it must be
 * answered as if that did not exist (SPEC §8), whatever else the input says.
 */
export function namesForeignSession(world: FuzzWorld, caller: CallerKind, input: unknown): boolean {
  if (roleOf(caller) !== 'client' || typeof input !== 'object' || input === null) return false;
  const { sessionId, planId } = input as { sessionId?: unknown; planId?: unknown };
  const planSession =
    typeof planId === 'string'
      ? (world.activePlans.get(planId) ?? world.rejectedPlans.get(planId))
      : undefined;
  return [sessionId, planSession].some(
    (id) => world.sessions.some((s) => s.id === id) && !canSee(world, caller, id),
  );
}

/** The procedures that write a session's conversation or results: its owning client's alone. */
const CONVERSATION_WRITES = new Set(['messages.send', 'toolResults.submit']);

/**
 * Whether a request by an operator or admin writes into a client's session (SPEC §8: operators
 * read, decide, cancel and retry; writing conversation and results is the owner's): FORBIDDEN.
 * Every session of the fuzz's world is owned by a client.
 */
export function writesIntoClientSession(
  world: FuzzWorld,
  path: string,
  caller: CallerKind,
  input: unknown,
): boolean {
  const role = roleOf(caller);
  if ((role !== 'operator' && role !== 'admin') || !CONVERSATION_WRITES.has(path)) return false;
  if (typeof input !== 'object' || input === null) return false;
  const { sessionId } = input as { sessionId?: unknown };
  return world.sessions.some((s) => s.id === sessionId);
}

/** A session of `agent` run by `client` until its run reaches `status`, and nothing is in flight. */
async function settled(
  client: BatonClient,
  owner: Owner,
  agent: 'ask' | 'coder' | 'orchestrator',
  status: FuzzSession['status'],
) {
  const session = await client.sessions.create.mutate({ title: `fuzz ${agent}`, agent });
  const recorder = recordEvents(client, session.id);
  await client.messages.send.mutate({ sessionId: session.id, content: 'Go.' });
  await recorder.waitFor((e) => e.type === 'run.state' && e.data.to === status);
  const details = await client.sessions.get.query({ sessionId: session.id });
  await recorder.waitFor((e) => e.seq === details.session.lastSeq);
  const [first] = recorder.events;
  if (!first) throw new Error('a session starts with its session.created event');
  return {
    session: { id: session.id, owner, status, firstEventId: first.id } as FuzzSession,
    recorder,
    details,
  };
}

/** Builds the fuzz's world in `scenario`: seven settled sessions, a revoked token, cursors. */
export async function buildFuzzWorld(scenario: Scenario): Promise<FuzzWorld> {
  const { client, otherClient, admin, operator } = scenario;
  /** An idle session whose read was answered. */
  const answered = async () => {
    const s = await settled(client, 'client', 'ask', 'awaiting_tools');
    const [read] = eventsOf(s.recorder.events, 'tool_call.dispatched');
    if (!read) throw new Error('the read was dispatched');
    await client.toolResults.submit.mutate({
      sessionId: s.session.id,
      callId: read.data.callId,
      result: RESOLVED_RESULT,
    });
    await s.recorder.waitFor(runIdleAfter(read.seq));
    return { ...s, callId: read.data.callId, planId: null };
  };
  /** An idle session whose plan was rejected. */
  const rejectedPlan = async () => {
    const s = await settled(client, 'client', 'orchestrator', 'awaiting_plan_decision');
    const [plan] = s.details.plans;
    if (!plan) throw new Error('the plan awaits its decision');
    await client.plans.decide.mutate({ planId: plan.id, decision: 'reject' });
    await s.recorder.waitFor(runIdleAfter(s.details.session.lastSeq));
    return { ...s, callId: null, planId: plan.id };
  };
  const [tools, otherTools, approval, plan, otherPlan, done, rejected] = await Promise.all([
    settled(client, 'client', 'ask', 'awaiting_tools'),
    settled(otherClient, 'otherClient', 'ask', 'awaiting_tools'),
    settled(client, 'client', 'coder', 'awaiting_approval'),
    settled(client, 'client', 'orchestrator', 'awaiting_plan_decision'),
    settled(otherClient, 'otherClient', 'orchestrator', 'awaiting_plan_decision'),
    answered(),
    rejectedPlan(),
  ]);
  for (const s of [done, rejected]) {
    const last = (await client.sessions.get.query({ sessionId: s.session.id })).session.lastSeq;
    await s.recorder.waitFor((e) => e.seq === last);
  }
  const all = [tools, otherTools, approval, plan, otherPlan, done, rejected];
  for (const s of all) s.recorder.close();

  const dispatched = (s: (typeof all)[number]) =>
    eventsOf(s.recorder.events, 'tool_call.dispatched').map((e) => e.data.callId);
  const revoked = await admin.tokens.create.mutate({ name: 'fuzz revoked', role: 'client' });
  await admin.tokens.revoke.mutate({ id: revoked.id });
  const liveTokenIds = (await admin.tokens.list.query())
    .filter((t) => t.revokedAt === null)
    .map((t) => t.id);
  const sessionPage = await operator.sessions.list.query({ limit: 1 });
  const decisionPage = await operator.decisions.list.query({ limit: 1 });

  return {
    tokens: {
      unknown: 'baton_thisTokenWasNeverIssuedByAnyone0000000',
      revoked: revoked.token,
      client: scenario.tokens.client,
      otherClient: scenario.tokens.otherClient,
      operator: scenario.tokens.operator,
      admin: ADMIN_TOKEN,
    },
    sessions: [
      tools.session,
      otherTools.session,
      approval.session,
      plan.session,
      otherPlan.session,
      { ...done.session, status: 'idle' },
      { ...rejected.session, status: 'idle' },
    ],
    openCalls: new Map([
      ...dispatched(tools).map((c) => [c, tools.session.id] as const),
      ...dispatched(otherTools).map((c) => [c, otherTools.session.id] as const),
    ]),
    resolvedCalls: [done.callId],
    gatedCalls: approval.details.calls.map((c) => c.id),
    pendingApprovals: new Map(
      [approval, plan, otherPlan].flatMap((s) =>
        s.details.approvals.map((a) => [a.id, s.session.id] as const),
      ),
    ),
    decidedApprovals: new Map(rejected.details.approvals.map((a) => [a.id, rejected.session.id])),
    activePlans: new Map(
      [plan, otherPlan].flatMap((s) => s.details.plans.map((p) => [p.id, s.session.id] as const)),
    ),
    rejectedPlans: new Map([[rejected.planId, rejected.session.id]]),
    subtasks: [plan, otherPlan, rejected].flatMap((s) =>
      s.details.plans.flatMap((p) => p.subtasks.map((t) => t.id)),
    ),
    liveTokenIds,
    revokedTokenId: revoked.id,
    cursors: [sessionPage.nextCursor, decisionPage.nextCursor].filter(
      (c): c is string => c !== null,
    ),
  };
}
