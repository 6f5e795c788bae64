import type { ToolCall } from '@baton/domain';
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { changedOr } from './changed-columns';
import { StaleWriteError } from '../errors';
import { sessions, toolCalls } from '../schema';
import { iso, isoOrNull, toDate, toDateOrNull } from './dates';

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

function toRow(call: ToolCall): ToolCallRow {
  return {
    id: call.id,
    sessionId: call.sessionId,
    runId: call.runId,
    stepId: call.stepId,
    index: call.index,
    ownerKind: call.owner.kind,
    planId: call.owner.kind === 'subtask' ? call.owner.planId : null,
    subtaskId: call.owner.kind === 'subtask' ? call.owner.subtaskId : null,
    agent: call.agent,
    name: call.name,
    arguments: call.arguments,
    dispatchedArguments: call.dispatchedArguments,
    status: call.status,
    outcome: call.outcome,
    resolvedBy: call.resolvedBy,
    resolution: call.resolution,
    approvalId: call.approvalId,
    createdAt: toDate(call.createdAt),
    dispatchedAt: toDateOrNull(call.dispatchedAt),
    resolvedAt: toDateOrNull(call.resolvedAt),
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
  const rows = await db
    .select()
    .from(toolCalls)
    .where(
      and(
        eq(toolCalls.sessionId, sessionId),
        or(
          select.ids.length > 0 ? inArray(toolCalls.id, [...select.ids]) : undefined,
          select.stepIds.length > 0 ? inArray(toolCalls.stepId, [...select.stepIds]) : undefined,
          select.currentStep
            ? eq(
                toolCalls.stepId,
                sql`(SELECT ${sessions.run} ->> 'stepId' FROM ${sessions} WHERE ${sessions.id} = ${sessionId})`,
              )
            : undefined,
        ),
      ),
    );
  return rows.map(toToolCall);
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
  if (calls.length > 0) await tx.insert(toolCalls).values(calls.map(toRow));
}

/**
 * Writes a changed call, compare-and-set on the status it was read with (a result is written
 * once, from `dispatched`); throws {@link StaleWriteError} when the row moved meanwhile.
 */
export async function updateToolCall(tx: Db, call: ToolCall, was: ToolCall): Promise<void> {
  const updated = await tx
    .update(toolCalls)
    .set(changedOr(toRow(call), toRow(was), { status: call.status }))
    .where(
      and(
        eq(toolCalls.id, call.id),
        eq(toolCalls.sessionId, call.sessionId),
        eq(toolCalls.status, was.status),
      ),
    )
    .returning({ id: toolCalls.id });
  if (updated.length === 0) throw new StaleWriteError('tool call', call.id);
}
