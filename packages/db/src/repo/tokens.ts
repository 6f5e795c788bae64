import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client';
import { newId } from '../ids';
import type { TokenRole } from '../schema';
import { apiTokens } from '../schema';
import { iso, isoOrNull } from './dates';

/** An API token as listed: never its secret nor its hash. */
export interface ApiToken {
  readonly id: string;
  readonly name: string;
  readonly role: TokenRole;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

type TokenRow = typeof apiTokens.$inferSelect;

function toApiToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: iso(row.createdAt),
    lastUsedAt: isoOrNull(row.lastUsedAt),
    revokedAt: isoOrNull(row.revokedAt),
  };
}

/** The SHA-256 (hex) under which a token's secret is stored and looked up. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Creates a token with a new random secret (`baton_…`), storing only its hash. The secret is in
 * the answer and nowhere else: show it once. Pass `token` to store a secret made elsewhere.
 */
export async function createToken(
  db: Db,
  args: { name: string; role: TokenRole; now: number; token?: string },
): Promise<{ id: string; token: string }> {
  const token = args.token ?? `baton_${randomBytes(32).toString('base64url')}`;
  const id = newId('token');
  await db.insert(apiTokens).values({
    id,
    name: args.name,
    role: args.role,
    tokenHash: hashToken(token),
    createdAt: new Date(args.now),
  });
  return { id, token };
}

/** The unrevoked token stored under `tokenHash`, or null. */
export async function findTokenByHash(db: Db, tokenHash: string): Promise<ApiToken | null> {
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
  return row ? toApiToken(row) : null;
}

/** Records that a token was used at `now`. */
export async function touchToken(db: Db, args: { id: string; now: number }): Promise<void> {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: new Date(args.now) })
    .where(eq(apiTokens.id, args.id));
}

/** Every token, revoked ones included, oldest first, without secrets or hashes. */
export async function listTokens(db: Db): Promise<ApiToken[]> {
  const rows = await db
    .select()
    .from(apiTokens)
    .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
  return rows.map(toApiToken);
}

/** Revokes a token; false when there is no such unrevoked token. */
export async function revokeToken(db: Db, args: { id: string; now: number }): Promise<boolean> {
  const revoked = await db
    .update(apiTokens)
    .set({ revokedAt: new Date(args.now) })
    .where(and(eq(apiTokens.id, args.id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return revoked.length === 1;
}

/** Whether any token exists (a first start creates the bootstrap tokens when none does). */
export async function hasTokens(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: apiTokens.id }).from(apiTokens).limit(1);
  return row !== undefined;
}
