import { sql } from 'drizzle-orm';
import { check, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';

/** The roles an API token can have (SPEC §8), lowest first. */
export const TokenRole = { client: 'client', operator: 'operator', admin: 'admin' } as const;
/** A role of an API token. */
export type TokenRole = (typeof TokenRole)[keyof typeof TokenRole];

/** API tokens, stored as the SHA-256 of the secret; the secret itself is shown once. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role').$type<TokenRole>().notNull(),
    tokenHash: text('token_hash').notNull().unique('api_tokens_token_hash_unique'),
    createdAt: timestamptz('created_at').notNull(),
    lastUsedAt: timestamptz('last_used_at'),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [check('api_tokens_role_known', sql`${t.role} IN ('client', 'operator', 'admin')`)],
);
