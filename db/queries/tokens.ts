import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { apiTokens, identities } from "@/db/schema";

export async function insertApiToken(db: Executor, values: typeof apiTokens.$inferInsert) {
  const [row] = await db.insert(apiTokens).values(values).returning({ id: apiTokens.id });
  return row!;
}

export async function findTokenByHash(db: Executor, args: { tokenHash: string }) {
  const [row] = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scopes: apiTokens.scopes,
      source: apiTokens.source,
      createdById: apiTokens.createdById,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, args.tokenHash));
  return row ?? null;
}

/** Records use at most once a minute per token, so a busy client does not write on every request. */
export async function touchToken(db: Executor, args: { tokenId: string; at: Date }) {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: args.at })
    .where(and(eq(apiTokens.id, args.tokenId), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`${args.at.toISOString()}::timestamptz - interval '1 minute'`))));
}

export async function listTokens(db: Executor) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scopes: apiTokens.scopes,
      source: apiTokens.source,
      createdAt: apiTokens.createdAt,
      createdByName: identities.displayName,
      lastUsedAt: apiTokens.lastUsedAt,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .leftJoin(identities, eq(identities.id, apiTokens.createdById))
    .orderBy(sql`${apiTokens.revokedAt} is not null`, desc(apiTokens.createdAt));
}

export async function markTokenRevoked(db: Executor, args: { tokenId: string; at: Date }) {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: args.at })
    .where(and(eq(apiTokens.id, args.tokenId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id, name: apiTokens.name });
  return rows[0] ?? null;
}
