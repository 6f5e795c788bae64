import type { Decision, DecisionKind } from '@baton/domain';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { decisions } from '../schema';
import type { Page } from './cursor';
import { decodeCursor, toPage } from './cursor';
import { iso, toDate } from './dates';

type DecisionRow = typeof decisions.$inferSelect;

function toDecision(row: DecisionRow): Decision {
  return { ...row, input: row.input ?? null, at: iso(row.at) };
}

/** Records decisions. */
export async function insertDecisions(tx: Db, records: readonly Decision[]): Promise<void> {
  if (records.length === 0) return;
  await tx.insert(decisions).values(records.map((d) => ({ ...d, at: toDate(d.at) })));
}

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
