import type { Database } from '@baton/db';
import { createToken, hasTokens } from '@baton/db';

/** The tokens made on a first start, shown once. */
export interface BootstrapTokens {
  readonly operator: string;
  readonly client: string;
}

/**
 * On a first start (no token in the database) creates an operator token and a client token and
 * returns their secrets, to be printed once; afterwards returns null. Two replicas starting at
 * once on an empty database may both create a pair; each prints its own, and all are valid.
 */
export async function bootstrapTokens(
  database: Database,
  now: number,
): Promise<BootstrapTokens | null> {
  if (await hasTokens(database.db)) return null;
  const operator = await createToken(database.db, {
    name: 'operator (first start)',
    role: 'operator',
    now,
  });
  const client = await createToken(database.db, {
    name: 'client (first start)',
    role: 'client',
    now,
  });
  return { operator: operator.token, client: client.token };
}
