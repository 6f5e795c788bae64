import type { Database } from '@baton/db';
import { createToken, hasTokens } from '@baton/db';

/** The tokens made on a first start, shown once. */
export interface BootstrapTokens {
  readonly operator: string;
  readonly client: string;
}

/**
 * On a first start (no token in the database) creates an operator token and a client token and
 * hands their secrets to `show`, which prints them; returns whether it made them. The tokens are
 * stored in the transaction that made them, committed only once `show` has resolved: a start that
 * dies before they were shown leaves no token behind, so the next start makes and shows new ones
 * instead of none. (Should the commit fail after the printing, the printed tokens do not work and
 * the start fails saying so; again the next start makes new ones.) Two replicas starting at once
 * on an empty database may both make a pair; each shows its own, and all are valid.
 */
export async function bootstrapTokens(
  database: Database,
  now: number,
  show: (tokens: BootstrapTokens) => Promise<void>,
): Promise<boolean> {
  return database.transaction(async (tx) => {
    if (await hasTokens(tx)) return false;
    const operator = await createToken(tx, {
      name: 'operator (first start)',
      role: 'operator',
      now,
    });
    const client = await createToken(tx, { name: 'client (first start)', role: 'client', now });
    await show({ operator: operator.token, client: client.token });
    return true;
  });
}
