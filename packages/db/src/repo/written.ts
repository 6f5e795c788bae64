import type { SQLWrapper } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import { staleWriteOr } from '../errors';

/**
 * Runs a compare-and-set `update` (one with `RETURNING`) that must write its row: when it writes
 * none — the row moved since it was read — the statement itself fails with a
 * {@link StaleWriteError} (`baton_expect_written`, migration 0002), and so does the transaction,
 * even when its COMMIT was already sent behind it.
 */
export async function writeOrFail(
  tx: Db,
  update: SQLWrapper,
  record: string,
  id: string,
): Promise<void> {
  try {
    await tx.execute(
      sql`WITH written AS (${update.getSQL()}) SELECT baton_expect_written((SELECT count(*) FROM written), ${record}::text, ${id}::text)`,
    );
  } catch (error) {
    throw staleWriteOr(error);
  }
}
