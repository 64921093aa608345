import { and, eq, gt, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { authAccounts, authSessions, identities } from "@/db/schema";

const userColumns = { id: identities.id, email: identities.email, name: identities.displayName, status: identities.status, kind: identities.kind };

export async function findSignInIdentityById(db: Executor, args: { identityId: string }) {
  const [row] = await db.select(userColumns).from(identities).where(eq(identities.id, args.identityId));
  return row ?? null;
}

export async function findSignInIdentityByEmail(db: Executor, args: { email: string }) {
  const [row] = await db
    .select(userColumns)
    .from(identities)
    .where(sql`lower(${identities.email}) = lower(${args.email})`);
  return row ?? null;
}

export async function findSignInIdentityByAccount(db: Executor, args: { provider: string; providerAccountId: string }) {
  const [row] = await db
    .select(userColumns)
    .from(authAccounts)
    .innerJoin(identities, eq(identities.id, authAccounts.identityId))
    .where(and(eq(authAccounts.provider, args.provider), eq(authAccounts.providerAccountId, args.providerAccountId)));
  return row ?? null;
}

export async function insertAuthAccount(db: Executor, values: typeof authAccounts.$inferInsert) {
  await db.insert(authAccounts).values(values).onConflictDoNothing();
}

export async function insertAuthSession(db: Executor, values: typeof authSessions.$inferInsert) {
  await db.insert(authSessions).values(values);
}

export async function findLiveSession(db: Executor, args: { tokenHash: string; now: Date }) {
  const [row] = await db
    .select({ tokenHash: authSessions.tokenHash, identityId: authSessions.identityId, expiresAt: authSessions.expiresAt, user: userColumns })
    .from(authSessions)
    .innerJoin(identities, eq(identities.id, authSessions.identityId))
    .where(and(eq(authSessions.tokenHash, args.tokenHash), gt(authSessions.expiresAt, args.now)));
  return row ?? null;
}

export async function updateAuthSessionExpiry(db: Executor, args: { tokenHash: string; expiresAt: Date }) {
  await db.update(authSessions).set({ expiresAt: args.expiresAt }).where(eq(authSessions.tokenHash, args.tokenHash));
}

export async function deleteAuthSession(db: Executor, args: { tokenHash: string }) {
  const rows = await db.delete(authSessions).where(eq(authSessions.tokenHash, args.tokenHash)).returning({ identityId: authSessions.identityId });
  return rows[0] ?? null;
}
