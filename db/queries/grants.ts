import { and, asc, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import {
  accessRequests,
  accounts,
  activations,
  applications,
  approvalSteps,
  campaigns,
  entitlements,
  findings,
  grants,
  identities,
  privilegedSessions,
  reviewItems,
  revocations,
} from "@/db/schema";
import { decodeCursor, toPage } from "./cursor";
import { escapeLike } from "./identities";
import { latestRevocationStatus } from "./revocations";
import { grantVisible, isNarrow, uuidList, type Scope } from "./scope";

export interface GrantFilters {
  applicationId?: string;
  entitlementId?: string;
  identityId?: string;
  kind?: "standing" | "time_bound" | "eligible";
  status?: "active" | "pending_revocation" | "revoked" | "expired";
  privileged?: boolean;
  /** Matches the holder's name or email, or the entitlement's name. */
  q?: string;
  cursor?: string | null;
  limit?: number;
}

const requester = alias(identities, "requester");
const approver = alias(identities, "approver");

/** Newest first, keyset-paged on (granted_at, id) so page 4,000 of 2M grants costs what page 1 does. */
/**
 * Resolves search text to the identities and entitlements it names (small tables, bounded), so
 * the grant query filters on known id lists and uses the grant indexes.
 */
export async function matchGrantSearch(db: Executor, args: { q: string }) {
  const pattern = `%${escapeLike(args.q.trim())}%`;
  const [people, entitlementRows] = await Promise.all([
    db.execute<{ id: string }>(sql`select id from identities where display_name ilike ${pattern} or email ilike ${pattern} limit 5000`),
    db.execute<{ id: string }>(sql`select id from entitlements where name ilike ${pattern} limit 5000`),
  ]);
  return { identityIds: people.map((r) => r.id), entitlementIds: entitlementRows.map((r) => r.id) };
}

export async function listGrants(db: Executor, args: { scope: Scope; filters: GrantFilters; matches?: { identityIds: string[]; entitlementIds: string[] } }) {
  const { filters } = args;
  const matches = filters.q?.trim() && !args.matches ? await matchGrantSearch(db, { q: filters.q }) : args.matches;
  args = { ...args, matches };
  const limit = Math.min(filters.limit ?? 50, 200);
  const after = decodeCursor(filters.cursor);
  const rows = await db
    .select({
      id: grants.id,
      kind: grants.kind,
      status: grants.status,
      revocationStatus: latestRevocationStatus,
      source: grants.source,
      grantedAt: grants.grantedAt,
      expiresAt: grants.expiresAt,
      liveState: grants.liveState,
      identityId: identities.id,
      identityName: identities.displayName,
      identityType: identities.type,
      identityStatus: identities.status,
      entitlementId: entitlements.id,
      entitlementName: entitlements.name,
      privileged: entitlements.privileged,
      breakGlass: entitlements.breakGlass,
      applicationId: applications.id,
      applicationName: applications.name,
    })
    .from(grants)
    .innerJoin(identities, eq(identities.id, grants.identityId))
    .innerJoin(entitlements, eq(entitlements.id, grants.entitlementId))
    .innerJoin(applications, eq(applications.id, entitlements.applicationId))
    .where(
      and(
        grantVisible(args.scope, grants),
        filters.applicationId ? eq(entitlements.applicationId, filters.applicationId) : undefined,
        filters.entitlementId ? eq(grants.entitlementId, filters.entitlementId) : undefined,
        filters.identityId ? eq(grants.identityId, filters.identityId) : undefined,
        filters.kind ? eq(grants.kind, filters.kind) : undefined,
        filters.status ? eq(grants.status, filters.status) : undefined,
        filters.privileged === undefined ? undefined : eq(entitlements.privileged, filters.privileged),
        filters.q?.trim() ? sql`(${grants.identityId} = any(${uuidList(args.matches?.identityIds ?? [])}) or ${grants.entitlementId} = any(${uuidList(args.matches?.entitlementIds ?? [])}))` : undefined,
        after ? sql`(${grants.grantedAt}, ${grants.id}) < (${String(after[0])}::timestamptz, ${String(after[1])}::uuid)` : undefined,
      ),
    )
    // "+ interval '0'" keeps a narrow scope off the granted_at index (see isNarrow).
    .orderBy(isNarrow(args.scope) ? sql`${grants.grantedAt} + interval '0 seconds' desc` : desc(grants.grantedAt), desc(grants.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => [row.grantedAt.toISOString(), row.id]);
}

export async function isGrantVisible(db: Executor, args: { scope: Scope; grantId: string }): Promise<boolean> {
  const [row] = await db.select({ id: grants.id }).from(grants).where(and(eq(grants.id, args.grantId), grantVisible(args.scope, grants)));
  return Boolean(row);
}

export async function getGrant(db: Executor, args: { grantId: string }) {
  const [row] = await db
    .select({
      grant: grants,
      identity: { id: identities.id, displayName: identities.displayName, type: identities.type, status: identities.status, department: identities.department, title: identities.title },
      entitlement: {
        id: entitlements.id,
        name: entitlements.name,
        description: entitlements.description,
        privileged: entitlements.privileged,
        breakGlass: entitlements.breakGlass,
        riskLevel: entitlements.riskLevel,
        maxDurationMinutes: entitlements.maxDurationMinutes,
      },
      application: { id: applications.id, name: applications.name, riskTier: applications.riskTier, connectorKind: applications.connectorKind },
      account: { id: accounts.id, username: accounts.username, status: accounts.status },
      requestedBy: { id: requester.id, displayName: requester.displayName },
      approvedBy: { id: approver.id, displayName: approver.displayName },
    })
    .from(grants)
    .innerJoin(identities, eq(identities.id, grants.identityId))
    .innerJoin(entitlements, eq(entitlements.id, grants.entitlementId))
    .innerJoin(applications, eq(applications.id, entitlements.applicationId))
    .leftJoin(accounts, eq(accounts.id, grants.accountId))
    .leftJoin(requester, eq(requester.id, grants.requestedById))
    .leftJoin(approver, eq(approver.id, grants.approvedById))
    .where(eq(grants.id, args.grantId));
  return row ?? null;
}

export async function getRequestWithSteps(db: Executor, args: { requestId: string }) {
  const [request] = await db
    .select({
      id: accessRequests.id,
      kind: accessRequests.kind,
      status: accessRequests.status,
      justification: accessRequests.justification,
      ticket: accessRequests.ticket,
      durationMinutes: accessRequests.durationMinutes,
      createdAt: accessRequests.createdAt,
      decidedAt: accessRequests.decidedAt,
      requesterId: accessRequests.requesterId,
      requesterName: requester.displayName,
    })
    .from(accessRequests)
    .innerJoin(requester, eq(requester.id, accessRequests.requesterId))
    .where(eq(accessRequests.id, args.requestId));
  if (!request) return null;
  const steps = await db
    .select({
      id: approvalSteps.id,
      position: approvalSteps.position,
      rule: approvalSteps.rule,
      status: approvalSteps.status,
      approverName: approver.displayName,
      decidedAt: approvalSteps.decidedAt,
      comment: approvalSteps.comment,
      approvedDurationMinutes: approvalSteps.approvedDurationMinutes,
    })
    .from(approvalSteps)
    .leftJoin(approver, eq(approver.id, sql`coalesce(${approvalSteps.decidedById}, ${approvalSteps.approverId})`))
    .where(eq(approvalSteps.requestId, args.requestId))
    .orderBy(asc(approvalSteps.position));
  return { ...request, steps };
}

export async function listGrantSessions(db: Executor, args: { grantId: string; limit: number }) {
  const [totals] = await db
    .select({
      count: sql<number>`count(*)::int`,
      totalSeconds: sql<number>`coalesce(sum(${privilegedSessions.durationSeconds}), 0)::bigint`.mapWith(Number),
      lastUsedAt: sql<string | null>`max(${privilegedSessions.startedAt})`.mapWith((v) => (v ? new Date(v) : null)),
    })
    .from(privilegedSessions)
    .where(eq(privilegedSessions.grantId, args.grantId));
  const rows = await db
    .select({
      id: privilegedSessions.id,
      source: privilegedSessions.source,
      sourceSessionId: privilegedSessions.sourceSessionId,
      login: privilegedSessions.login,
      target: privilegedSessions.target,
      startedAt: privilegedSessions.startedAt,
      endedAt: privilegedSessions.endedAt,
      durationSeconds: privilegedSessions.durationSeconds,
      recordingRef: privilegedSessions.recordingRef,
      activationId: privilegedSessions.activationId,
    })
    .from(privilegedSessions)
    .where(eq(privilegedSessions.grantId, args.grantId))
    .orderBy(desc(privilegedSessions.startedAt))
    .limit(args.limit);
  return { rows, count: totals?.count ?? 0, totalSeconds: totals?.totalSeconds ?? 0, lastUsedAt: totals?.lastUsedAt ?? null };
}

export async function listGrantActivations(db: Executor, args: { grantId: string }) {
  return db.select().from(activations).where(eq(activations.grantId, args.grantId)).orderBy(desc(activations.startsAt)).limit(100);
}

const decider = alias(identities, "decider");
const reviewer = alias(identities, "reviewer");

export async function listGrantReviews(db: Executor, args: { grantId: string }) {
  return db
    .select({
      id: reviewItems.id,
      campaignId: campaigns.id,
      campaignName: campaigns.name,
      status: reviewItems.status,
      decision: reviewItems.decision,
      decidedAt: reviewItems.decidedAt,
      comment: reviewItems.comment,
      reviewerName: reviewer.displayName,
      deciderName: decider.displayName,
    })
    .from(reviewItems)
    .innerJoin(campaigns, eq(campaigns.id, reviewItems.campaignId))
    .leftJoin(reviewer, eq(reviewer.id, reviewItems.reviewerId))
    .leftJoin(decider, eq(decider.id, reviewItems.decidedById))
    .where(eq(reviewItems.grantId, args.grantId))
    .orderBy(desc(reviewItems.snapshotAt));
}

export async function listGrantRevocations(db: Executor, args: { grantId: string }) {
  return db.select().from(revocations).where(eq(revocations.grantId, args.grantId)).orderBy(desc(revocations.requestedAt));
}

export async function listGrantFindings(db: Executor, args: { grantId: string }) {
  return db
    .select({ id: findings.id, kind: findings.kind, severity: findings.severity, status: findings.status, reason: findings.reason, firstSeenAt: findings.firstSeenAt })
    .from(findings)
    .where(eq(findings.grantId, args.grantId))
    .orderBy(desc(findings.firstSeenAt));
}

/** Live grants in scope, and how many of them are standing privilege (DESIGN.md "Metrics"). */
export async function countGrantsInScope(db: Executor, args: { scope: Scope }) {
  const [row] = await db
    .select({
      active: sql<number>`count(*)::int`,
      privileged: sql<number>`count(*) filter (where ${entitlements.privileged})::int`,
      standingPrivileged: sql<number>`count(*) filter (where ${entitlements.privileged} and ${grants.kind} = 'standing')::int`,
    })
    .from(grants)
    .innerJoin(entitlements, eq(entitlements.id, grants.entitlementId))
    .where(and(eq(grants.status, "active"), grantVisible(args.scope, grants)));
  return row ?? { active: 0, privileged: 0, standingPrivileged: 0 };
}
