import type { Message } from '@baton/domain';
import type { SQL } from 'drizzle-orm';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client';
import { messages } from '../schema';
import { iso, toDate } from './dates';

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
  await tx.insert(messages).values(
    records.map((message) => ({
      ...message,
      at: toDate(message.at),
      idempotencyKey: message === keyed ? (idempotencyKey ?? null) : null,
    })),
  );
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
export function inContext(context: { sessionId: string; subtaskId: string | null }): SQL {
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
