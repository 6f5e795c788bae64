import type { Approval, Message, Plan, RunStatus, ToolCall } from '@baton/domain';
import { and, desc, eq, ilike, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { sessions } from '../schema';
import { listApprovals } from './approvals';
import type { Page } from './cursor';
import { decodeCursor, toPage } from './cursor';
import { listMessages } from './messages';
import { listPlans } from './plans';
import type { Access, StoredSession } from './sessions';
import { canSee, toStoredSession } from './sessions';
import { listToolCalls } from './tool-calls';

/** A session with everything it holds: messages, tool calls, approvals, plans with subtasks. */
export interface SessionDetails {
  readonly session: StoredSession;
  readonly messages: Message[];
  readonly calls: ToolCall[];
  readonly approvals: Approval[];
  /** Every plan of the session, oldest first; `session.activePlanId` names the active one. */
  readonly plans: Plan[];
}

/** A session with all its records, or null when there is none that `access` may see. */
export async function getSession(
  db: Db,
  args: { sessionId: string; access?: Access },
): Promise<SessionDetails | null> {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, args.sessionId));
  if (!row || !canSee(args.access, row.clientId)) return null;
  const [messages, calls, approvals, plans] = await Promise.all([
    listMessages(db, row.id),
    listToolCalls(db, row.id),
    listApprovals(db, row.id),
    listPlans(db, row.id),
  ]);
  return { session: toStoredSession(row), messages, calls, approvals, plans };
}

/**
 * Whether a session exists that `access` may see — one indexed lookup, for the procedures that
 * only need to check access before they read something else (events, decisions).
 */
export async function isSessionVisible(
  db: Db,
  args: { sessionId: string; access?: Access },
): Promise<boolean> {
  const [row] = await db
    .select({ clientId: sessions.clientId })
    .from(sessions)
    .where(eq(sessions.id, args.sessionId));
  return row !== undefined && canSee(args.access, row.clientId);
}

/** What {@link listSessions} filters on, and where its page starts. */
export interface SessionFilter {
  readonly status?: RunStatus;
  /** Only this client's sessions. */
  readonly clientId?: string;
  /** Case-insensitive substring of the title. */
  readonly search?: string;
  readonly limit: number;
  readonly cursor?: string | null;
}

/** Escapes LIKE's wildcards so a search matches its text literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Sessions, most recently active first (then by id), one keyset page at a time. */
export async function listSessions(db: Db, filter: SessionFilter): Promise<Page<StoredSession>> {
  const after = filter.cursor ? decodeCursor(filter.cursor) : null;
  const rows = await db
    .select()
    .from(sessions)
    .where(
      and(
        filter.status !== undefined ? eq(sessions.runStatus, filter.status) : undefined,
        filter.clientId !== undefined ? eq(sessions.clientId, filter.clientId) : undefined,
        filter.search ? ilike(sessions.title, likePattern(filter.search)) : undefined,
        after
          ? sql`(${sessions.lastActivityAt}, ${sessions.id}) < (${after.at}::timestamptz, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(sessions.lastActivityAt), desc(sessions.id))
    .limit(filter.limit + 1);
  return toPage(rows.map(toStoredSession), filter.limit, (s) => ({
    at: s.lastActivityAt,
    id: s.id,
  }));
}
