import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { accounts, activations, applicationOwners, applications, entitlements, grants, identities, identityRoles, revocationAttempts, revocations } from "@/db/schema";
import { decodeCursor, toPage } from "./cursor";
import { grantVisible, type Scope } from "./scope";

export type RevocationStatus = (typeof revocations.$inferSelect)["status"];

/** The latest revocation's state of a grant being or having been revoked (null otherwise), for every list that shows grants. */
export const latestRevocationStatus = sql<RevocationStatus | null>`(case when ${grants.status} in ('pending_revocation', 'revoked', 'expired')
  then (select r.status from revocations r where r.grant_id = ${grants.id} order by r.requested_at desc limit 1) end)`;
export const OPEN_REVOCATION: RevocationStatus[] = ["requested", "dispatched", "applied"];

/** Everything a connector needs to act on one revocation: who, what, where, and how to reach it. */
export async function getRevocationWork(db: Executor, args: { revocationId: string }) {
  const [row] = await db
    .select({
      revocation: revocations,
      grant: { id: grants.id, kind: grants.kind, status: grants.status, identityId: grants.identityId, entitlementId: grants.entitlementId },
      identity: { id: identities.id, displayName: identities.displayName, email: identities.email },
      account: { username: accounts.username, externalId: accounts.externalId },
      entitlement: { id: entitlements.id, name: entitlements.name, externalId: entitlements.externalId },
      application: {
        id: applications.id,
        name: applications.name,
        connectorKind: applications.connectorKind,
        connectorConfig: applications.connectorConfig,
        connectorSecret: applications.connectorSecret,
      },
    })
    .from(revocations)
    .innerJoin(grants, eq(grants.id, revocations.grantId))
    .innerJoin(identities, eq(identities.id, grants.identityId))
    .innerJoin(entitlements, eq(entitlements.id, grants.entitlementId))
    .innerJoin(applications, eq(applications.id, entitlements.applicationId))
    .leftJoin(accounts, eq(accounts.id, grants.accountId))
    .where(eq(revocations.id, args.revocationId));
  return row ?? null;
}

export type RevocationWork = NonNullable<Awaited<ReturnType<typeof getRevocationWork>>>;

/** Moves a revocation from one of `from` to `to` (with the given columns); null when it was not in `from` (someone else moved it). */
export async function transitionRevocation(db: Executor, args: { revocationId: string; from: RevocationStatus[]; set: Partial<typeof revocations.$inferInsert> }) {
  const [row] = await db
    .update(revocations)
    .set(args.set)
    .where(and(eq(revocations.id, args.revocationId), inArray(revocations.status, args.from)))
    .returning();
  return row ?? null;
}

/** Records that worker run number `attempt` happened (kept with its receipts). */
export async function countAttempt(db: Executor, args: { revocationId: string; attempt: number }) {
  await db
    .update(revocations)
    .set({ attempts: sql`greatest(${revocations.attempts}, ${args.attempt}::int)` })
    .where(eq(revocations.id, args.revocationId));
}

export async function insertRevocationAttempts(db: Executor, rows: (typeof revocationAttempts.$inferInsert)[]) {
  if (rows.length > 0) await db.insert(revocationAttempts).values(rows);
}

/** Another live grant of the same identity to the same entitlement that keeps it live in the target (eligible grants do not). */
export async function findLiveSuccessor(db: Executor, args: { grantId: string; identityId: string; entitlementId: string }) {
  const [row] = await db
    .select({ id: grants.id, kind: grants.kind, expiresAt: grants.expiresAt })
    .from(grants)
    .where(
      and(
        eq(grants.identityId, args.identityId),
        eq(grants.entitlementId, args.entitlementId),
        ne(grants.id, args.grantId),
        eq(grants.status, "active"),
        inArray(grants.kind, ["standing", "time_bound"]),
      ),
    )
    .limit(1);
  return row ?? null;
}

export async function endGrantAfterRevocation(db: Executor, args: { grantId: string; at: Date; status: "revoked" | "expired"; liveState: "absent" | null }) {
  const [row] = await db
    .update(grants)
    .set({
      status: args.status,
      endedAt: args.at,
      updatedAt: args.at,
      ...(args.liveState ? { liveState: args.liveState, liveCheckedAt: args.at } : {}),
    })
    .where(and(eq(grants.id, args.grantId), inArray(grants.status, ["active", "pending_revocation"])))
    .returning({ id: grants.id, status: grants.status });
  return row ?? null;
}

/** Ends the open JIT windows of a grant (an eligible grant being revoked). */
export async function endOpenActivations(db: Executor, args: { grantId: string; at: Date }) {
  return db
    .update(activations)
    .set({ status: "ended", endedAt: args.at })
    .where(and(eq(activations.grantId, args.grantId), inArray(activations.status, ["pending", "active"])))
    .returning({ id: activations.id });
}

/** Who is told about a revocation: the application's owners and, for failures, every active admin. */
export async function listRevocationRecipients(db: Executor, args: { applicationId: string; admins: boolean }) {
  const owners = await db
    .select({ id: identities.id })
    .from(applicationOwners)
    .innerJoin(identities, eq(identities.id, applicationOwners.identityId))
    .where(and(eq(applicationOwners.applicationId, args.applicationId), eq(identities.status, "active")));
  const admins = args.admins
    ? await db
        .select({ id: identities.id })
        .from(identityRoles)
        .innerJoin(identities, eq(identities.id, identityRoles.identityId))
        .where(and(eq(identityRoles.role, "admin"), eq(identities.status, "active")))
    : [];
  return { ownerIds: owners.map((o) => o.id), adminIds: admins.map((a) => a.id) };
}

export async function listApplicationOwnerIds(db: Executor, args: { applicationId: string }) {
  const rows = await db.select({ id: applicationOwners.identityId }).from(applicationOwners).where(eq(applicationOwners.applicationId, args.applicationId));
  return rows.map((r) => r.id);
}

export async function listRevocationAttempts(db: Executor, args: { revocationIds: string[] }) {
  if (args.revocationIds.length === 0) return [];
  return db.select().from(revocationAttempts).where(inArray(revocationAttempts.revocationId, args.revocationIds)).orderBy(asc(revocationAttempts.startedAt), asc(revocationAttempts.attempt));
}

const requester = alias(identities, "requester");

export interface RevocationFilters {
  status?: RevocationStatus | "overdue";
  applicationId?: string;
  cursor?: string | null;
  limit?: number;
}

/**
 * The revocation queue: failed first, then overdue (past the application's SLA and still open),
 * then open, then done; newest first within each. Keyset-paged on (rank, requested_at, id).
 */
export async function listRevocations(db: Executor, args: { scope: Scope; filters: RevocationFilters; now: Date }) {
  const { filters } = args;
  const limit = Math.min(filters.limit ?? 50, 200);
  const now = args.now.toISOString();
  const rank = sql<number>`(case when ${revocations.status} = 'failed' then 0
    when ${revocations.status} in ('requested', 'dispatched', 'applied') and ${revocations.slaDueAt} < ${now}::timestamptz then 1
    when ${revocations.status} in ('requested', 'dispatched', 'applied') then 2 else 3 end)`;
  const after = decodeCursor(filters.cursor);
  const rows = await db
    .select({
      id: revocations.id,
      status: revocations.status,
      cause: revocations.cause,
      connectorKind: revocations.connectorKind,
      verification: revocations.verification,
      attempts: revocations.attempts,
      lastError: revocations.lastError,
      requestedAt: revocations.requestedAt,
      dispatchedAt: revocations.dispatchedAt,
      appliedAt: revocations.appliedAt,
      verifiedAt: revocations.verifiedAt,
      failedAt: revocations.failedAt,
      slaDueAt: revocations.slaDueAt,
      rank,
      grantId: grants.id,
      grantKind: grants.kind,
      identityId: identities.id,
      identityName: identities.displayName,
      entitlementName: entitlements.name,
      applicationId: applications.id,
      applicationName: applications.name,
      applicationOwnerIds: sql<string[]>`coalesce((select array_agg(ao.identity_id) from application_owners ao where ao.application_id = ${applications.id}), '{}')`,
      requestedByName: requester.displayName,
    })
    .from(revocations)
    .innerJoin(grants, eq(grants.id, revocations.grantId))
    .innerJoin(identities, eq(identities.id, grants.identityId))
    .innerJoin(entitlements, eq(entitlements.id, grants.entitlementId))
    .innerJoin(applications, eq(applications.id, entitlements.applicationId))
    .leftJoin(requester, eq(requester.id, revocations.requestedById))
    .where(
      and(
        grantVisible(args.scope, grants),
        filters.applicationId ? eq(applications.id, filters.applicationId) : undefined,
        filters.status === "overdue"
          ? sql`${revocations.status} in ('requested', 'dispatched', 'applied') and ${revocations.slaDueAt} < ${now}::timestamptz`
          : filters.status
            ? eq(revocations.status, filters.status)
            : undefined,
        after
          ? sql`(${rank} > ${Number(after[0])} or (${rank} = ${Number(after[0])} and (${revocations.requestedAt}, ${revocations.id}) < (${String(after[1])}::timestamptz, ${String(after[2])}::uuid)))`
          : undefined,
      ),
    )
    .orderBy(asc(rank), desc(revocations.requestedAt), desc(revocations.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => [row.rank, row.requestedAt.toISOString(), row.id]);
}

/** Counts per state in scope, overdue counted apart, for the page's summary. */
export async function countRevocations(db: Executor, args: { scope: Scope; now: Date }) {
  const rows = await db
    .select({
      status: revocations.status,
      overdue: sql<boolean>`${revocations.status} in ('requested', 'dispatched', 'applied') and ${revocations.slaDueAt} < ${args.now.toISOString()}::timestamptz`,
      count: sql<number>`count(*)::int`,
    })
    .from(revocations)
    .innerJoin(grants, eq(grants.id, revocations.grantId))
    .where(grantVisible(args.scope, grants))
    .groupBy(sql`1`, sql`2`);
  return rows;
}
