import { AgentName, DecisionKind, RunStatus } from '@baton/domain';
import fc from 'fast-check';
import type { CallerKind, FuzzWorld } from './fuzz-world';
import { canSee, RESOLVED_RESULT } from './fuzz-world';
import {
  aroundLimit,
  extraKey,
  hostileValue,
  jsonish,
  nastyString,
  withOwnKey,
  wrongType,
} from './fuzz-values';

/**
 * A fuzz model of every procedure of the API: its input fields, each with values drawn from the
 * fuzz world (ids of live, finished, foreign and unknown things) mixed with hostile ones, and
 * which requests the fuzz must not send because they would be accepted and start real work.
 */

/** The least role a procedure needs (`public`: no token). */
export type MinimumRole = 'public' | 'client' | 'operator' | 'admin';

interface Field {
  /** Plausible values (hostile ones are mixed in by {@link inputOf}). */
  readonly values: (world: FuzzWorld) => fc.Arbitrary<unknown>;
  readonly required?: boolean;
}

/** How to fuzz one procedure. */
export interface ProcedureModel {
  readonly role: MinimumRole;
  readonly fields: Readonly<Record<string, Field>>;
  /**
   * Whether a valid input from an authorized caller would start work (a model step) or change a
   * fixture the fuzz relies on; such a request is not sent.
   */
  readonly dangerous?: (
    input: Record<string, unknown>,
    caller: CallerKind,
    world: FuzzWorld,
  ) => boolean;
  /**
   * Whether the fuzz may see this mutation accepted: `harmless` ones may change the database (a
   * new session, a token, a duplicate result's decision record); `noop` ones only record their
   * `duplicate_ignored` decision (a decision repeated on something decided changes nothing).
   */
  readonly accepts?: 'harmless' | 'noop';
}

const text = (max: number) => fc.oneof(nastyString, fc.string({ maxLength: 30 }), aroundLimit(max));
const oneOf = (values: readonly string[]) => fc.oneof(fc.constantFrom(...values), nastyString);
const limit = fc.oneof(
  fc.integer({ min: -5, max: 300 }),
  fc.constantFrom(0, 1, 200, 201, 1.5, Number.MAX_SAFE_INTEGER),
);
/**
 * A cursor in our own format (base64url JSON `[time, id]`) holding what PostgreSQL cannot take
 * or what no page ends with: hostile ids (a NUL, control characters), times out of range (year
 * 0, year 10000, the epoch's far side), wrong shapes.
 */
const craftedCursor = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(
        '0000-01-01T00:00:00Z',
        '0001-01-01T00:00:00Z',
        '9999-12-31T23:59:59.999Z',
        '-000001-01-01T00:00:00Z',
        '+275760-09-13T00:00:00.000Z',
        '2024-02-30T00:00:00Z',
      ),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    ),
    fc.oneof(nastyString, fc.constantFrom('a\u0000b', 'session_1', '', ' ')),
  )
  .map((key) => Buffer.from(JSON.stringify(key)).toString('base64url'));
const cursor = (w: FuzzWorld) =>
  fc.oneof(
    fc.constantFrom(...w.cursors),
    craftedCursor,
    nastyString,
    aroundLimit(500),
    fc.constant(null),
  );
const direction = oneOf(['forward', 'backward']);

/** Every id the world knows, of any kind: an id of the wrong kind is a classic confusion. */
const anyKnownId = (w: FuzzWorld): string[] => [
  ...w.sessions.map((s) => s.id),
  ...w.sessions.map((s) => s.firstEventId),
  ...w.openCalls.keys(),
  ...w.resolvedCalls,
  ...w.gatedCalls,
  ...w.pendingApprovals.keys(),
  ...w.decidedApprovals.keys(),
  ...w.activePlans.keys(),
  ...w.rejectedPlans.keys(),
  ...w.subtasks,
  ...w.liveTokenIds,
  w.revokedTokenId,
];

/** Ids of the right kind (`own`), of any kind, well-formed unknown ones, and hostile strings. */
const idFrom = (own: (w: FuzzWorld) => readonly string[], prefix: string) => (w: FuzzWorld) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...own(w)), weight: 5 },
    { arbitrary: fc.constantFrom(...anyKnownId(w)), weight: 2 },
    {
      arbitrary: fc.stringMatching(/^[0-9a-f]{34}$/).map((hex) => `${prefix}_${hex}`),
      weight: 1,
    },
    { arbitrary: nastyString, weight: 1 },
    { arbitrary: aroundLimit(100), weight: 1 },
  );

const sessionId = idFrom((w) => w.sessions.map((s) => s.id), 'session');
const planId = idFrom((w) => [...w.activePlans.keys(), ...w.rejectedPlans.keys()], 'plan');
const lastEventId = (w: FuzzWorld) =>
  fc.oneof(
    fc.constantFrom(...w.sessions.map((s) => s.firstEventId)),
    // Well-formed, but no event of this session (or any) has it; the last one has an unsafe id.
    fc.constantFrom(
      '00000000000000000000-00000000000000000000',
      '00000000000000000001-00000000000000000001',
      '00000000000000000000-99999999999999999999',
      // Past the range of a transaction id (xid8: 2^64 - 1).
      '18446744073709551616-00000000000000000001',
      '99999999999999999999-00000000000000000001',
    ),
    fc
      .tuple(
        fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }),
        fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }),
      )
      .map(([tx, id]) => `${tx.toString().padStart(20, '0')}-${id.toString().padStart(20, '0')}`),
    nastyString,
    aroundLimit(100),
    fc.constant(null),
  );

/** The fuzz model of each procedure, by path. A procedure of the router missing here fails. */
export const PROCEDURE_MODELS: Readonly<Record<string, ProcedureModel>> = {
  health: { role: 'public', fields: {} },
  'agents.list': { role: 'client', fields: {} },
  'stats.overview': { role: 'operator', fields: {} },
  'tokens.list': { role: 'admin', fields: {} },
  'sessions.create': {
    role: 'client',
    fields: {
      title: { values: () => text(200) },
      agent: { values: () => oneOf(Object.values(AgentName)) },
    },
    accepts: 'harmless',
  },
  'sessions.list': {
    role: 'client',
    fields: {
      status: { values: () => oneOf(Object.values(RunStatus)) },
      search: { values: () => text(200) },
      limit: { values: () => limit },
      cursor: { values: cursor },
      direction: { values: () => direction },
    },
  },
  'sessions.get': { role: 'client', fields: { sessionId: { values: sessionId, required: true } } },
  'sessions.events': {
    role: 'client',
    fields: {
      sessionId: { values: sessionId, required: true },
      lastEventId: { values: lastEventId },
    },
  },
  'sessions.cancel': {
    role: 'client',
    fields: {
      sessionId: { values: sessionId, required: true },
      reason: { values: () => text(2000) },
    },
    dangerous: (input, caller, w) => canSee(w, caller, input['sessionId']),
  },
  'messages.send': {
    role: 'client',
    fields: {
      sessionId: { values: sessionId, required: true },
      content: { values: () => fc.oneof(text(100_000), aroundLimit(100_000)), required: true },
      agent: { values: () => oneOf(Object.values(AgentName)) },
      idempotencyKey: { values: () => text(200) },
    },
    // A message to an idle session starts a run; to a busy one it is a CONFLICT.
    dangerous: (input, caller, w) =>
      canSee(w, caller, input['sessionId']) &&
      w.sessions.some((s) => s.id === input['sessionId'] && s.status === 'idle'),
  },
  'toolResults.submit': {
    role: 'client',
    fields: {
      sessionId: { values: sessionId, required: true },
      callId: {
        values: idFrom((w) => [...w.openCalls.keys(), ...w.resolvedCalls, ...w.gatedCalls], 'call'),
        required: true,
      },
      result: {
        values: () => fc.oneof(jsonish, fc.constant(RESOLVED_RESULT), aroundLimit(1_048_576)),
      },
      error: { values: () => text(1_048_576) },
    },
    // The result an open call waits for continues its run.
    dangerous: (input, caller, w) =>
      canSee(w, caller, input['sessionId']) &&
      w.openCalls.get(input['callId'] as string) === input['sessionId'],
    // Resubmitting the resolved call's result is a duplicate: accepted, changing nothing but the log.
    accepts: 'harmless',
  },
  'approvals.decide': {
    role: 'client',
    fields: {
      sessionId: { values: sessionId, required: true },
      approvalId: {
        values: idFrom(
          (w) => [...w.pendingApprovals.keys(), ...w.decidedApprovals.keys()],
          'approval',
        ),
        required: true,
      },
      decision: { values: () => oneOf(['approve', 'reject', 'edit']), required: true },
      arguments: { values: () => jsonish },
      feedback: { values: () => text(10_000) },
    },
    dangerous: (input, caller, w) =>
      canSee(w, caller, input['sessionId']) &&
      w.pendingApprovals.get(input['approvalId'] as string) === input['sessionId'],
    accepts: 'noop',
  },
  'plans.get': { role: 'client', fields: { planId: { values: planId, required: true } } },
  'plans.decide': {
    role: 'client',
    fields: {
      planId: { values: planId, required: true },
      decision: { values: () => oneOf(['approve', 'reject', 'revise']), required: true },
      feedback: { values: () => text(10_000) },
    },
    dangerous: (input, caller, w) => activePlanVisible(input['planId'], caller, w),
    accepts: 'noop',
  },
  'plans.cancel': {
    role: 'client',
    fields: { planId: { values: planId, required: true }, reason: { values: () => text(2000) } },
    dangerous: (input, caller, w) => activePlanVisible(input['planId'], caller, w),
  },
  'plans.retrySubtask': {
    role: 'client',
    fields: {
      planId: { values: planId, required: true },
      subtaskId: { values: idFrom((w) => w.subtasks, 'subtask'), required: true },
    },
  },
  'decisions.list': {
    role: 'client',
    fields: {
      sessionId: { values: sessionId },
      kind: { values: () => oneOf(Object.values(DecisionKind)) },
      since: {
        values: () =>
          fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            fc.constantFrom('2024-02-30T00:00:00Z', '2024-01-01', '0000-01-01T00:00:00Z'),
            nastyString,
          ),
      },
      limit: { values: () => limit },
      cursor: { values: cursor },
      direction: { values: () => direction },
    },
  },
  'events.all': { role: 'operator', fields: { lastEventId: { values: lastEventId } } },
  'tokens.create': {
    role: 'admin',
    fields: {
      name: { values: () => text(100), required: true },
      role: { values: () => oneOf(['client', 'operator', 'admin']), required: true },
    },
    accepts: 'harmless',
  },
  'tokens.revoke': {
    role: 'admin',
    fields: { id: { values: idFrom((w) => [w.revokedTokenId], 'token'), required: true } },
    dangerous: (input, _caller, w) => w.liveTokenIds.includes(input['id'] as string),
  },
};

function activePlanVisible(planId: unknown, caller: CallerKind, w: FuzzWorld): boolean {
  const session = w.activePlans.get(planId as string);
  return session !== undefined && canSee(w, caller, session);
}

/**
 * Inputs for a procedure: mostly objects whose fields are each left out, plausible or hostile,
 * with extra keys now and then; sometimes no input, or a whole input of the wrong type.
 */
export function inputOf(model: ProcedureModel, world: FuzzWorld): fc.Arbitrary<unknown> {
  const fieldValue = (f: Field) =>
    fc.oneof(
      { arbitrary: f.values(world), weight: 6 },
      { arbitrary: hostileValue, weight: 2 },
      { arbitrary: fc.constant(undefined), weight: f.required ? 1 : 3 },
    );
  const record = fc.record(
    Object.fromEntries(Object.entries(model.fields).map(([k, f]) => [k, fieldValue(f)])),
  );
  const extras = fc.array(fc.tuple(extraKey, hostileValue), { maxLength: 2 });
  const object = fc
    .tuple(
      record,
      fc.oneof({ arbitrary: fc.constant([]), weight: 4 }, { arbitrary: extras, weight: 1 }),
    )
    .map(([fields, extra]) => {
      const input: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) input[k] = v;
      for (const [k, v] of extra) withOwnKey(input, k, v);
      return input;
    });
  return fc.oneof(
    { arbitrary: object, weight: 12 },
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: wrongType, weight: 1 },
    { arbitrary: hostileValue, weight: 1 },
  );
}
