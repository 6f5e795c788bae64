import type { Approval } from '@baton/domain';
import { and, asc, eq, inArray, isNotNull, lte } from 'drizzle-orm';
import type { Db } from '../client';
import { changedOr } from './changed-columns';
import { sendNow, writeOrFail } from './written';
import { approvals } from '../schema';
import { iso, isoOrNull, toDate, toDateOrNull } from './dates';

type ApprovalRow = typeof approvals.$inferSelect;

/** The approval a row holds. */
export function toApproval(row: ApprovalRow): Approval {
  return {
    id: row.id,
    sessionId: row.sessionId,
    kind: row.kind,
    callId: row.callId,
    planId: row.planId,
    status: row.status,
    answer: row.answer,
    feedback: row.feedback,
    editedArguments: row.editedArguments ?? null,
    decidedBy: row.decidedBy,
    requestedAt: iso(row.requestedAt),
    expiresAt: isoOrNull(row.expiresAt),
    decidedAt: isoOrNull(row.decidedAt),
  };
}

function toRow(approval: Approval): ApprovalRow {
  return {
    ...approval,
    requestedAt: toDate(approval.requestedAt),
    expiresAt: toDateOrNull(approval.expiresAt),
    decidedAt: toDateOrNull(approval.decidedAt),
  };
}

/** A session's approvals with one of `ids`. */
export async function loadApprovals(
  db: Db,
  sessionId: string,
  ids: readonly string[],
): Promise<Approval[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(approvals)
    .where(and(eq(approvals.sessionId, sessionId), inArray(approvals.id, [...ids])));
  return rows.map(toApproval);
}

/** Every approval of a session, oldest first. */
export async function listApprovals(db: Db, sessionId: string): Promise<Approval[]> {
  const rows = await db
    .select()
    .from(approvals)
    .where(eq(approvals.sessionId, sessionId))
    .orderBy(asc(approvals.requestedAt), asc(approvals.id));
  return rows.map(toApproval);
}

/** Inserts new approvals. */
export async function insertApprovals(tx: Db, records: readonly Approval[]): Promise<void> {
  if (records.length > 0) await sendNow(tx, tx.insert(approvals).values(records.map(toRow)));
}

/**
 * Writes a changed approval, compare-and-set on the status it was read with (the first
 * decision wins); throws {@link StaleWriteError} when the row moved meanwhile.
 */
export async function updateApproval(tx: Db, approval: Approval, was: Approval): Promise<void> {
  await writeOrFail(
    tx,
    tx
      .update(approvals)
      .set(changedOr(toRow(approval), toRow(was), { status: approval.status }))
      .where(and(eq(approvals.id, approval.id), eq(approvals.status, was.status)))
      .returning({ id: approvals.id }),
    'approval',
    approval.id,
  );
}

/**
 * Pending approvals whose deadline has passed at `now`, oldest deadline first: for the
 * sweeper, which applies `approval_expired` to each.
 */
export async function findExpiredApprovals(
  db: Db,
  args: { now: number; limit?: number },
): Promise<{ sessionId: string; approvalId: string }[]> {
  return db
    .select({ sessionId: approvals.sessionId, approvalId: approvals.id })
    .from(approvals)
    .where(
      and(
        eq(approvals.status, 'pending'),
        isNotNull(approvals.expiresAt),
        lte(approvals.expiresAt, new Date(args.now)),
      ),
    )
    .orderBy(asc(approvals.expiresAt))
    .limit(args.limit ?? 100);
}
