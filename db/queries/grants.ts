import { and, asc, desc, eq, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { accessRequests, accounts, activations, applications, approvalSteps, campaigns, entitlements, findings, grants, identities, privilegedSessions, reviewItems, revocations } from "@/db/schema";
import { decodeCursor, toPage } from "./cursor";
import { escapeLike } from "./identities";
import { latestRevocationStatus } from "./revocations";
import { grantVisible, scopeKeys, uuidList, type Scope } from "./scope";

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

/** A search is resolved to id lists while it names at most this many identities and entitlements. */
const MAX_MATCHES = 5_000;

/**
 * Resolves search text to the identities and entitlements it names (small tables, trigram
 * indexes), so the grant query starts from their grants through the grant indexes. Null when
 * the text names too many to list: the list then matches the text in SQL.
 */
export async function matchGrantSearch(db: Executor, args: { q: string }) {
  const pattern = `%${escapeLike(args.q.trim())}%`;
  const [people, entitlementRows] = await Promise.all([
    db.execute<{ id: string }>(sql`select id from identities where display_name ilike ${pattern} or email ilike ${pattern} limit ${MAX_MATCHES + 1}`),
    db.execute<{ id: string }>(sql`select id from entitlements where name ilike ${pattern} limit ${MAX_MATCHES + 1}`),
  ]);
  if (people.length > MAX_MATCHES || entitlementRows.length > MAX_MATCHES) return null;
  return { identityIds: people.map((r) => r.id), entitlementIds: entitlementRows.map((r) => r.id) };
}

type GrantMatches = Awaited<ReturnType<typeof matchGrantSearch>>;

/** The people and entitlements whose grants a list walks: ids, or a query returning a column "id". */
interface GrantKeys {
  identityIds?: string[] | SQL;
  entitlementIds?: string[] | SQL;
}

/** Every condition of a grant list, on the grants row alone so it can filter a walk of one holder's or one entitlement's grants. */
function grantConditions(scope: Scope, filters: GrantFilters, matches: GrantMatches): SQL | undefined {
  const q = filters.q?.trim();
  const pattern = q ? `%${escapeLike(q)}%` : "";
  return and(
    grantVisible(scope, grants),
    filters.applicationId ? sql`${grants.entitlementId} in (select id from entitlements where application_id = ${filters.applicationId})` : undefined,
    filters.entitlementId ? eq(grants.entitlementId, filters.entitlementId) : undefined,
    filters.identityId ? eq(grants.identityId, filters.identityId) : undefined,
    filters.kind ? eq(grants.kind, filters.kind) : undefined,
    filters.status ? eq(grants.status, filters.status) : undefined,
    filters.privileged === undefined ? undefined : sql`${grants.entitlementId} in (select id from entitlements where privileged = ${filters.privileged})`,
    !q
      ? undefined
      : matches
        ? sql`(${grants.identityId} = any(${uuidList(matches.identityIds)}) or ${grants.entitlementId} = any(${uuidList(matches.entitlementIds)}))`
        : sql`(${grants.identityId} in (select id from identities where display_name ilike ${pattern} or email ilike ${pattern})
            or ${grants.entitlementId} in (select id from entitlements where name ilike ${pattern}))`,
  );
}

/**
 * The narrowest set of people or entitlements every row of the list belongs to, or null when
 * the list can only walk all grants newest first (everything visible and nothing narrowing).
 * A scope of people only comes first: their grants are few, where an entitlement's (of an
 * application, or named by a search) can be tens of thousands.
 */
function grantKeys(scope: Scope, filters: GrantFilters, matches: GrantMatches): GrantKeys | null {
  if (filters.identityId) return { identityIds: [filters.identityId] };
  const scoped = scopeKeys(scope);
  if (scoped && scoped.entitlementIds.length === 0) return scoped;
  if (filters.entitlementId) return { entitlementIds: [filters.entitlementId] };
  if (filters.applicationId) return { entitlementIds: sql`select id from entitlements where application_id = ${filters.applicationId}` };
  if (filters.q?.trim() && matches) return matches;
  return scoped;
}

/** A key source as rows of one column "id"; entitlements are narrowed up front by what the filters say about entitlements. */
function keySource(ids: string[] | SQL, entitlementFilters?: GrantFilters): SQL {
  const source = Array.isArray(ids) ? sql`select unnest(${uuidList(ids)}) as id` : ids;
  if (!entitlementFilters || (entitlementFilters.privileged === undefined && !entitlementFilters.applicationId)) return sql`(${source})`;
  return sql`(select e.id from entitlements e where e.id in (${source})${
    entitlementFilters.privileged === undefined ? sql`` : sql` and e.privileged = ${entitlementFilters.privileged}`
  }${entitlementFilters.applicationId ? sql` and e.application_id = ${entitlementFilters.applicationId}` : sql``})`;
}

const hasKeys = (ids: string[] | SQL | undefined): ids is string[] | SQL => ids !== undefined && (!Array.isArray(ids) || ids.length > 0);

/**
 * Ids of the newest `limit` grants meeting `where`. With keys: each holder's or entitlement's
 * newest through its (key, granted_at, id, …) index, then the newest of those; without: the
 * newest of all through (granted_at, id, …). The indexes carry every column the conditions read,
 * so no grant row is fetched until the page is known.
 */
function newestGrantIds(keys: GrantKeys | null, filters: GrantFilters, where: SQL | undefined, limit: number): SQL {
  const newest = sql`order by ${grants.grantedAt} desc, ${grants.id} desc limit ${limit}`;
  if (!keys) return sql`select ${grants.id} from ${grants}${where ? sql` where ${where}` : sql``} ${newest}`;
  const walk = (key: AnyColumn, source: SQL) => sql`select x.id, x.granted_at from ${source} as k(id) cross join lateral (
      select ${grants.id} as id, ${grants.grantedAt} as granted_at from ${grants}
      where ${key} = k.id${where ? sql` and ${where}` : sql``} ${newest}) x`;
  const branches: SQL[] = [];
  if (hasKeys(keys.identityIds)) branches.push(walk(grants.identityId, keySource(keys.identityIds)));
  if (hasKeys(keys.entitlementIds)) branches.push(walk(grants.entitlementId, keySource(keys.entitlementIds, filters)));
  if (branches.length === 0) return sql`select null::uuid where false`;
  // A grant can come from both branches: the newest 2 × limit hold at least limit distinct ones,
  // and deduplicating those is cheaper than deduplicating everything the walks returned.
  return sql`select c.id from (select u.id, u.granted_at from (${sql.join(branches, sql` union all `)}) u order by u.granted_at desc, u.id desc limit ${2 * limit}) c
    group by c.id, c.granted_at order by c.granted_at desc, c.id desc limit ${limit}`;
}

/** Newest first, keyset-paged on (granted_at, id) so page 4,000 of 2M grants costs what page 1 does. */
export async function listGrants(db: Executor, args: { scope: Scope; filters: GrantFilters }) {
  const { filters } = args;
  const matches = filters.q?.trim() ? await matchGrantSearch(db, { q: filters.q }) : null;
  const limit = Math.min(filters.limit ?? 50, 200);
  const after = decodeCursor(filters.cursor);
  const where = and(grantConditions(args.scope, filters, matches), after ? sql`(${grants.grantedAt}, ${grants.id}) < (${String(after[0])}::timestamptz, ${String(after[1])}::uuid)` : undefined);
  const keys = grantKeys(args.scope, filters, matches);
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
    // The page's ids first (an array, so the planner fetches just those rows and sorts them).
    .where(sql`${grants.id} = any(array(${newestGrantIds(keys, filters, where, limit + 1)}))`)
    .orderBy(desc(grants.grantedAt), desc(grants.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => [row.grantedAt.toISOString(), row.id]);
}

export async function isGrantVisible(db: Executor, args: { scope: Scope; grantId: string }): Promise<boolean> {
  const [row] = await db
    .select({ id: grants.id })
    .from(grants)
    .where(and(eq(grants.id, args.grantId), grantVisible(args.scope, grants)));
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
  const keys = scopeKeys(args.scope);
  if (keys) {
    // The people's grants, and the owned entitlements' grants of everyone else: each counted from
    // its index without reading a grant (bitmap scans read 177,000 of them for an app owner).
    const people = uuidList(keys.identityIds);
    const [row] = await db.execute<{ active: number; privileged: number; standing_privileged: number }>(sql`
      select coalesce(sum(c.n), 0)::int as active, coalesce(sum(c.n) filter (where e.privileged), 0)::int as privileged,
        coalesce(sum(c.standing) filter (where e.privileged), 0)::int as standing_privileged
      from (
        select v.entitlement_id, count(*) as n, count(*) filter (where v.kind = 'standing') as standing from (
          select entitlement_id, kind from grants where identity_id = any(${people}) and status = 'active'
          union all
          select entitlement_id, kind from grants
          where entitlement_id = any(${uuidList(keys.entitlementIds)}) and status = 'active' and not (identity_id = any(${people}))
        ) v group by v.entitlement_id
      ) c join entitlements e on e.id = c.entitlement_id`);
    return { active: row?.active ?? 0, privileged: row?.privileged ?? 0, standingPrivileged: row?.standing_privileged ?? 0 };
  }
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
