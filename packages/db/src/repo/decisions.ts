import type { Decision, DecisionKind } from '@baton/domain';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { decisions } from '../schema';
import type { Page } from './cursor';
import { decodeCursor, toPage } from './cursor';
import { statementsOf } from '../statements';
import { iso } from './dates';

type DecisionRow = typeof decisions.$inferSelect;

function toDecision(row: DecisionRow): Decision {
  return { ...row, input: row.input ?? null, at: iso(row.at) };
}

/** Records decisions. */
export async function insertDecisions(tx: Db, records: readonly Decision[]): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map((d) => ({
    id: d.id,
    session_id: d.sessionId,
    at: d.at,
    kind: d.kind,
    input: d.input,
    call_id: d.callId,
    plan_id: d.planId,
    subtask_id: d.subtaskId,
    agent: d.agent,
    reason: d.reason,
  }));
  await statementsOf(tx)(INSERT_DECISIONS, [JSON.stringify(rows)]);
}

const INSERT_DECISIONS = `INSERT INTO decisions (id, session_id, at, kind, input, call_id,
  plan_id, subtask_id, agent, reason)
  SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS r(id text, session_id text,
  at timestamptz, kind text, input jsonb, call_id text, plan_id text, subtask_id text,
  agent text, reason text)`;

/** What {@link listDecisions} filters on, and where its page starts. */
export interface DecisionFilter {
  readonly sessionId?: string;
  readonly kind?: DecisionKind;
  readonly limit: number;
  readonly cursor?: string | null;
}

/** Decisions, newest first (by time, then id), one keyset page at a time. */
export async function listDecisions(db: Db, filter: DecisionFilter): Promise<Page<Decision>> {
  const after = filter.cursor ? decodeCursor(filter.cursor) : null;
  const rows = await db
    .select()
    .from(decisions)
    .where(
      and(
        filter.sessionId !== undefined ? eq(decisions.sessionId, filter.sessionId) : undefined,
        filter.kind !== undefined ? eq(decisions.kind, filter.kind) : undefined,
        after
          ? sql`(${decisions.at}, ${decisions.id}) < (${after.at}::timestamptz, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(decisions.at), desc(decisions.id))
    .limit(filter.limit + 1);
  return toPage(rows.map(toDecision), filter.limit, (d) => ({ at: d.at, id: d.id }));
}
