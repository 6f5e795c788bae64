import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database, Db } from '../client';
import { newId } from '../ids';
import type { TokenRole } from '../schema';
import { apiTokens, sessions } from '../schema';
import { iso, isoOrNull } from './dates';
import { rowsOf } from './raw';
import { sha256Hex } from '../ids';

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
  return sha256Hex(token);
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

/**
 * Records that a token was used at `now`. Never moves `lastUsedAt` back: replicas write their own
 * sightings, late or out of order, and the latest wins.
 */
export async function touchToken(db: Db, args: { id: string; now: number }): Promise<void> {
  const at = new Date(args.now);
  await db
    .update(apiTokens)
    .set({ lastUsedAt: at })
    .where(
      and(
        eq(apiTokens.id, args.id),
        or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, at)),
      ),
    );
}

/** Those of `ids` that name a revoked token (ids of no stored token are not among them). */
export async function revokedTokenIds(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(and(inArray(apiTokens.id, [...ids]), isNotNull(apiTokens.revokedAt)));
  return rows.map((row) => row.id);
}

/**
 * Who owns a session: the id of the token that created it and that token's role (revoked or
 * not), or null when there is no such session. `role` is null when no stored token owns it (an
 * owner never recorded, or the bootstrap token, which is not stored).
 */
export async function findSessionOwner(
  db: Db,
  sessionId: string,
): Promise<{ tokenId: string | null; role: TokenRole | null } | null> {
  const [row] = await db
    .select({ tokenId: sessions.clientId, role: apiTokens.role })
    .from(sessions)
    .leftJoin(apiTokens, eq(apiTokens.id, sessions.clientId))
    .where(eq(sessions.id, sessionId));
  return row ?? null;
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
  // One statement, so the notification is sent exactly when the revocation commits.
  const revoked = await db.execute<{ id: string }>(sql`
    WITH revoked AS (
      UPDATE ${apiTokens} SET ${sql.identifier(apiTokens.revokedAt.name)} = ${new Date(args.now).toISOString()}
      WHERE ${apiTokens.id} = ${args.id} AND ${apiTokens.revokedAt} IS NULL
      RETURNING ${apiTokens.id}
    )
    SELECT id, pg_notify(${TOKENS_CHANNEL}, id) FROM revoked`);
  return rowsOf(revoked).length === 1;
}

/**
 * The NOTIFY channel a revocation announces itself on (payload: the token id), so that every
 * process caching token lookups forgets the token at once.
 */
export const TOKENS_CHANNEL = 'baton_tokens';

/**
 * Calls `onRevoked` with a token id whenever a token is revoked, in any process sharing the
 * database — or with `null` when notifications may have been lost (the listening connection came
 * back), meaning "forget every cached token". Resolves once listening.
 */
export function subscribeTokenRevocations(
  database: Database,
  onRevoked: (tokenId: string | null) => void,
): Promise<() => Promise<void>> {
  return database.listen(TOKENS_CHANNEL, onRevoked, () => onRevoked(null));
}

/** Whether any token exists (a first start creates the bootstrap tokens when none does). */
export async function hasTokens(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: apiTokens.id }).from(apiTokens).limit(1);
  return row !== undefined;
}
