import type { Message } from '@baton/domain';
import type { SQL } from 'drizzle-orm';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client';
import { messages } from '../schema';
import { isoOfMs, msColumn, statementsOf } from '../statements';
import { iso } from './dates';

type MessageRow = typeof messages.$inferSelect;

/** The message a row holds. */
export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    sessionId: row.sessionId,
    subtaskId: row.subtaskId,
    runId: row.runId,
    stepId: row.stepId,
    agent: row.agent,
    body: row.body,
    at: iso(row.at),
  };
}

/**
 * Appends messages in order (they are never rewritten). `idempotencyKey`, when given, is stored
 * on the session-history user message among them: the key of the send that produced it.
 */
export async function insertMessages(
  tx: Db,
  records: readonly Message[],
  idempotencyKey?: string,
): Promise<void> {
  if (records.length === 0) return;
  const keyed = idempotencyKey
    ? records.find((m) => m.body.role === 'user' && m.subtaskId === null)
    : undefined;
  const rows = records.map((message) => ({
    id: message.id,
    session_id: message.sessionId,
    subtask_id: message.subtaskId,
    run_id: message.runId,
    step_id: message.stepId,
    agent: message.agent,
    body: message.body,
    at: message.at,
    idempotency_key: message === keyed ? (idempotencyKey ?? null) : null,
  }));
  await statementsOf(tx)(INSERT_MESSAGES, [JSON.stringify(rows)]);
}

/** In the order given (`ordinal` is taken row by row as they are inserted). */
const INSERT_MESSAGES = `INSERT INTO messages (id, session_id, subtask_id, run_id, step_id,
  agent, body, at, idempotency_key)
  SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS r(id text, session_id text,
  subtask_id text, run_id text, step_id text, agent text, body jsonb, at timestamptz,
  idempotency_key text)`;

/** The columns of a message as the hot path reads them. */
export const MESSAGE_COLUMNS = `id, ordinal::float8 AS ordinal, session_id, subtask_id, run_id,
  step_id, agent, body, ${msColumn('at')}`;

/** A message row as {@link MESSAGE_COLUMNS} reads it. */
export interface MessageColumns {
  id: string;
  ordinal: number;
  session_id: string;
  subtask_id: string | null;
  run_id: string | null;
  step_id: string | null;
  agent: Message['agent'];
  body: Message['body'];
  at: number;
}

/** The message a {@link MessageColumns} row holds. */
export function messageOf(row: MessageColumns): Message {
  return {
    id: row.id,
    sessionId: row.session_id,
    subtaskId: row.subtask_id,
    runId: row.run_id,
    stepId: row.step_id,
    agent: row.agent,
    body: row.body,
    at: isoOfMs(row.at),
  };
}

/** The id of the message a send with `idempotencyKey` stored in the session, if any. */
export async function findMessageIdByIdempotencyKey(
  db: Db,
  args: { sessionId: string; idempotencyKey: string },
): Promise<string | null> {
  const [row] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(eq(messages.sessionId, args.sessionId), eq(messages.idempotencyKey, args.idempotencyKey)),
    );
  return row?.id ?? null;
}

/** Every message of a session (its history and every subtask's own), in the order appended. */
export async function listMessages(db: Db, sessionId: string): Promise<Message[]> {
  const rows = await db
    .select()
    .from(messages)
    .where(eq(messages.sessionId, sessionId))
    .orderBy(asc(messages.ordinal));
  return rows.map(toMessage);
}

/** The messages of one context: a session's history (`subtaskId` null) or a subtask's own. */
function inContext(context: { sessionId: string; subtaskId: string | null }): SQL {
  return and(
    eq(messages.sessionId, context.sessionId),
    context.subtaskId === null
      ? isNull(messages.subtaskId)
      : eq(messages.subtaskId, context.subtaskId),
  ) as SQL;
}

/**
 * The messages of one context, in the order appended: the session's history (`subtaskId` null)
 * or one subtask's own — what a model step of that context is given.
 */
export async function listContextMessages(
  db: Db,
  args: { sessionId: string; subtaskId: string | null },
): Promise<Message[]> {
  const rows = await db
    .select()
    .from(messages)
    .where(inContext(args))
    .orderBy(asc(messages.ordinal));
  return rows.map(toMessage);
}
