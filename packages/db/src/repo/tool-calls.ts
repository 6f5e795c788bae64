import type { ToolCall } from '@baton/domain';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { toolCalls } from '../schema';
import { isoOfMs, isoOfMsOrNull, jsonParameter, msColumn, statementsOf } from '../statements';
import { iso, isoOrNull } from './dates';

type ToolCallRow = typeof toolCalls.$inferSelect;

/** The tool call a row holds. */
export function toToolCall(row: ToolCallRow): ToolCall {
  return {
    id: row.id,
    sessionId: row.sessionId,
    runId: row.runId,
    stepId: row.stepId,
    index: row.index,
    owner:
      row.ownerKind === 'subtask'
        ? { kind: 'subtask', planId: row.planId as string, subtaskId: row.subtaskId as string }
        : { kind: 'session' },
    agent: row.agent,
    name: row.name,
    arguments: row.arguments ?? null,
    dispatchedArguments: row.dispatchedArguments ?? null,
    status: row.status,
    outcome: row.outcome,
    resolvedBy: row.resolvedBy,
    resolution: row.resolution,
    approvalId: row.approvalId,
    createdAt: iso(row.createdAt),
    dispatchedAt: isoOrNull(row.dispatchedAt),
    resolvedAt: isoOrNull(row.resolvedAt),
  };
}

/**
 * A session's calls with one of `ids`, made by one of `stepIds`, or — with `currentStep` — made
 * by the step the session's run is at as the statement runs (read from the session row).
 */
export async function loadToolCalls(
  db: Db,
  sessionId: string,
  select: { ids: readonly string[]; stepIds: readonly string[]; currentStep?: boolean },
): Promise<ToolCall[]> {
  if (select.ids.length === 0 && select.stepIds.length === 0 && !select.currentStep) return [];
  const rows = await statementsOf(db)<ToolCallColumns>(SELECT_TOOL_CALLS, [
    sessionId,
    JSON.stringify(select.ids),
    JSON.stringify(select.stepIds),
    select.currentStep === true,
  ]);
  return rows.map(toolCallOf);
}

const TOOL_CALL_COLUMNS = `id, session_id, run_id, step_id, index, owner_kind, plan_id,
  subtask_id, agent, name, arguments, dispatched_arguments, status, outcome, resolved_by,
  resolution, approval_id, ${msColumn('created_at')}, ${msColumn('dispatched_at')},
  ${msColumn('resolved_at')}`;

/** Ids and step ids come as JSON arrays (text), which both drivers pass alike. */
const SELECT_TOOL_CALLS = `SELECT ${TOOL_CALL_COLUMNS} FROM tool_calls
  WHERE session_id = $1::text AND (
    id IN (SELECT jsonb_array_elements_text($2::text::jsonb))
    OR step_id IN (SELECT jsonb_array_elements_text($3::text::jsonb))
    OR ($4::bool AND step_id = (SELECT run ->> 'stepId' FROM sessions WHERE id = $1::text)))`;

/** A tool call row as {@link TOOL_CALL_COLUMNS} reads it. */
interface ToolCallColumns {
  id: string;
  session_id: string;
  run_id: string;
  step_id: string;
  index: number;
  owner_kind: 'session' | 'subtask';
  plan_id: string | null;
  subtask_id: string | null;
  agent: ToolCall['agent'];
  name: string;
  arguments: ToolCall['arguments'];
  dispatched_arguments: ToolCall['dispatchedArguments'];
  status: ToolCall['status'];
  outcome: ToolCall['outcome'];
  resolved_by: ToolCall['resolvedBy'];
  resolution: ToolCall['resolution'];
  approval_id: string | null;
  created_at: number;
  dispatched_at: number | null;
  resolved_at: number | null;
}

function toolCallOf(row: ToolCallColumns): ToolCall {
  return {
    id: row.id,
    sessionId: row.session_id,
    runId: row.run_id,
    stepId: row.step_id,
    index: row.index,
    owner:
      row.owner_kind === 'subtask'
        ? { kind: 'subtask', planId: row.plan_id as string, subtaskId: row.subtask_id as string }
        : { kind: 'session' },
    agent: row.agent,
    name: row.name,
    arguments: row.arguments ?? null,
    dispatchedArguments: row.dispatched_arguments ?? null,
    status: row.status,
    outcome: row.outcome,
    resolvedBy: row.resolved_by,
    resolution: row.resolution,
    approvalId: row.approval_id,
    createdAt: isoOfMs(row.created_at),
    dispatchedAt: isoOfMsOrNull(row.dispatched_at),
    resolvedAt: isoOfMsOrNull(row.resolved_at),
  };
}

/** Every call of a session, step by step in the order the model made them. */
export async function listToolCalls(db: Db, sessionId: string): Promise<ToolCall[]> {
  const rows = await db
    .select()
    .from(toolCalls)
    .where(eq(toolCalls.sessionId, sessionId))
    .orderBy(asc(toolCalls.createdAt), asc(toolCalls.stepId), asc(toolCalls.index));
  return rows.map(toToolCall);
}

/** Inserts new calls. */
export async function insertToolCalls(tx: Db, calls: readonly ToolCall[]): Promise<void> {
  if (calls.length === 0) return;
  await statementsOf(tx)(INSERT_TOOL_CALLS, [JSON.stringify(calls.map(toRecord))]);
}

/** The calls to insert as one JSON array of records: one fixed statement for any number. */
const INSERT_TOOL_CALLS = `INSERT INTO tool_calls (id, session_id, run_id, step_id, index,
  owner_kind, plan_id, subtask_id, agent, name, arguments, dispatched_arguments, status, outcome,
  resolved_by, resolution, approval_id, created_at, dispatched_at, resolved_at)
  SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS r(id text, session_id text, run_id text,
  step_id text, index int, owner_kind text, plan_id text, subtask_id text, agent text, name text,
  arguments jsonb, dispatched_arguments jsonb, status text, outcome jsonb, resolved_by text,
  resolution text, approval_id text, created_at timestamptz, dispatched_at timestamptz,
  resolved_at timestamptz)`;

/** A call as a record of {@link INSERT_TOOL_CALLS} (a JSON null is SQL NULL there). */
function toRecord(call: ToolCall) {
  return {
    id: call.id,
    session_id: call.sessionId,
    run_id: call.runId,
    step_id: call.stepId,
    index: call.index,
    owner_kind: call.owner.kind,
    plan_id: call.owner.kind === 'subtask' ? call.owner.planId : null,
    subtask_id: call.owner.kind === 'subtask' ? call.owner.subtaskId : null,
    agent: call.agent,
    name: call.name,
    arguments: call.arguments,
    dispatched_arguments: call.dispatchedArguments,
    status: call.status,
    outcome: call.outcome,
    resolved_by: call.resolvedBy,
    resolution: call.resolution,
    approval_id: call.approvalId,
    created_at: call.createdAt,
    dispatched_at: call.dispatchedAt,
    resolved_at: call.resolvedAt,
  };
}

/**
 * Writes a changed call, compare-and-set on the status it was read with (a result is written
 * once, from `dispatched`); throws {@link StaleWriteError} when the row moved meanwhile.
 */
export async function updateToolCall(tx: Db, call: ToolCall, was: ToolCall): Promise<void> {
  await statementsOf(tx)(UPDATE_TOOL_CALL, [
    call.id,
    call.sessionId,
    was.status,
    call.status,
    jsonParameter(call.outcome),
    call.resolvedBy,
    call.resolution,
    call.approvalId,
    jsonParameter(call.dispatchedArguments),
    call.dispatchedAt,
    call.resolvedAt,
  ]);
}

/** Every column a call's life changes (what it was made with never does), in one fixed text. */
const UPDATE_TOOL_CALL = `WITH written AS (UPDATE tool_calls SET status = $4::text,
  outcome = $5::text::jsonb, resolved_by = $6::text, resolution = $7::text,
  approval_id = $8::text, dispatched_arguments = $9::text::jsonb,
  dispatched_at = $10::text::timestamptz, resolved_at = $11::text::timestamptz
  WHERE id = $1::text AND session_id = $2::text AND status = $3::text RETURNING id)
  SELECT baton_expect_written((SELECT count(*) FROM written), 'tool_call', $1::text) AS written`;
