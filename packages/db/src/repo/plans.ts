import type { Plan, Subtask } from '@baton/domain';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { changedOr } from './changed-columns';
import { sendNow, writeOrFail } from './written';
import { plans, sessions, subtasks } from '../schema';
import { iso, toDate } from './dates';
import type { Access } from './sessions';
import { canSee } from './sessions';

type PlanRow = typeof plans.$inferSelect;
type SubtaskRow = typeof subtasks.$inferSelect;

function toSubtask(row: SubtaskRow): Subtask {
  return { ...row, dependsOn: [...row.dependsOn] };
}

function toPlan(row: PlanRow, subtaskRows: readonly SubtaskRow[]): Plan {
  return {
    id: row.id,
    sessionId: row.sessionId,
    goal: row.goal,
    status: row.status,
    callId: row.callId,
    approvalId: row.approvalId,
    supersedesPlanId: row.supersedesPlanId,
    subtasks: subtaskRows
      .filter((s) => s.planId === row.id)
      .sort((a, b) => a.index - b.index)
      .map(toSubtask),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

function toPlanRow(plan: Plan): PlanRow {
  return {
    id: plan.id,
    sessionId: plan.sessionId,
    goal: plan.goal,
    status: plan.status,
    callId: plan.callId,
    approvalId: plan.approvalId,
    supersedesPlanId: plan.supersedesPlanId,
    createdAt: toDate(plan.createdAt),
    updatedAt: toDate(plan.updatedAt),
  };
}

function toSubtaskRow(subtask: Subtask): SubtaskRow {
  return { ...subtask, dependsOn: [...subtask.dependsOn] };
}

/** Plans (with their subtasks) of `rows`. */
async function withSubtasks(db: Db, rows: readonly PlanRow[]): Promise<Plan[]> {
  if (rows.length === 0) return [];
  const subtaskRows = await db
    .select()
    .from(subtasks)
    .where(
      inArray(
        subtasks.planId,
        rows.map((row) => row.id),
      ),
    );
  return rows.map((row) => toPlan(row, subtaskRows));
}

/** A session's plans with one of `ids`, with their subtasks. */
export async function loadPlans(
  db: Db,
  sessionId: string,
  ids: readonly string[],
): Promise<Plan[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(plans)
    .where(and(eq(plans.sessionId, sessionId), inArray(plans.id, [...ids])));
  return withSubtasks(db, rows);
}

/** Every plan of a session, oldest first, with their subtasks. */
export async function listPlans(db: Db, sessionId: string): Promise<Plan[]> {
  const rows = await db
    .select()
    .from(plans)
    .where(eq(plans.sessionId, sessionId))
    .orderBy(asc(plans.createdAt), asc(plans.id));
  return withSubtasks(db, rows);
}

/** A plan with its subtasks, or null when there is none that `access` may see. */
export async function getPlan(
  db: Db,
  args: { planId: string; access?: Access },
): Promise<Plan | null> {
  const [found] = await db
    .select({ plan: plans, clientId: sessions.clientId })
    .from(plans)
    .innerJoin(sessions, eq(sessions.id, plans.sessionId))
    .where(eq(plans.id, args.planId));
  if (!found || !canSee(args.access, found.clientId)) return null;
  const [plan] = await withSubtasks(db, [found.plan]);
  return plan ?? null;
}

/** Inserts new subtasks (of a plan already stored). */
export async function insertSubtasks(tx: Db, records: readonly Subtask[]): Promise<void> {
  if (records.length > 0) await sendNow(tx, tx.insert(subtasks).values(records.map(toSubtaskRow)));
}

/**
 * Inserts a new plan and its subtasks. Both statements are started before either is awaited
 * (the plan's first, and both the same way, so the driver sends them in that order).
 */
export function insertPlan(tx: Db, plan: Plan): Promise<void> {
  const planRow = (async () => {
    await sendNow(tx, tx.insert(plans).values(toPlanRow(plan)));
  })();
  return Promise.all([planRow, insertSubtasks(tx, plan.subtasks)]).then(() => undefined);
}

/** Writes a changed plan row, compare-and-set on the status it was read with. */
export async function updatePlan(tx: Db, plan: Plan, was: Plan): Promise<void> {
  await writeOrFail(
    tx,
    tx
      .update(plans)
      .set(changedOr(toPlanRow(plan), toPlanRow(was), { status: plan.status }))
      .where(and(eq(plans.id, plan.id), eq(plans.status, was.status)))
      .returning({ id: plans.id }),
    'plan',
    plan.id,
  );
}

/** Writes a changed subtask, compare-and-set on the status it was read with. */
export async function updateSubtask(tx: Db, subtask: Subtask, was: Subtask): Promise<void> {
  await writeOrFail(
    tx,
    tx
      .update(subtasks)
      .set(changedOr(toSubtaskRow(subtask), toSubtaskRow(was), { status: subtask.status }))
      .where(and(eq(subtasks.id, subtask.id), eq(subtasks.status, was.status)))
      .returning({ id: subtasks.id }),
    'subtask',
    subtask.id,
  );
}
