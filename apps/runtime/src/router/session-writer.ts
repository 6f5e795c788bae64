import type { ApiToken, Database } from '@baton/db';
import { findSessionOwner } from '@baton/db';
import { TRPCError } from '@trpc/server';
import { notFound } from '../trpc';

/**
 * Confirms the caller may write into a session: its conversation and its tool results are the
 * owning client's alone (SPEC §8). A client token reaches only its own sessions anyway (another
 * client's answers NOT_FOUND through its access, where the input is applied). An operator or an
 * admin — who read, decide, cancel and retry everywhere — writes only into sessions that no
 * client token owns (one it created, say); a client's answers FORBIDDEN. It only reads: a refused
 * write leaves no trace, not even a decision record.
 */
export async function assertMayWrite(
  ctx: { readonly database: Database; readonly token: ApiToken },
  sessionId: string,
): Promise<void> {
  if (ctx.token.role === 'client') return;
  const owner = await findSessionOwner(ctx.database.db, sessionId);
  if (!owner) throw notFound(`Session ${sessionId}`);
  if (owner.role === 'client') {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `Session ${sessionId} belongs to a client token: only that client sends its messages and tool results (an ${ctx.token.role} reads, decides, cancels and retries).`,
    });
  }
}
