import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { accessRequests, applications, approvalSteps, credentials, entitlements, grants, identities } from "@/db/schema";
import { decodeCursor, toPage } from "./cursor";
import { escapeLike } from "./identities";
import { stepDeciderIds } from "./requests";
import { identityVisible, uuidList, type Scope } from "./scope";

const requester = alias(identities, "requester");
const beneficiary = alias(identities, "beneficiary");
const approver = alias(identities, "approver");
const decider = alias(identities, "decider");
const manager = alias(identities, "manager");
const owner = alias(identities, "owner");

/** The actor may decide the request's pending step now (mirrors canDecideApprovalStep, as SQL for the queue). */
function decidableBy(actorId: string): SQL {
  return sql`(
    ${accessRequests.status} = 'pending' and ${accessRequests.expiresAt} > now()
    and ${accessRequests.requesterId} <> ${actorId} and ${accessRequests.beneficiaryId} <> ${actorId}
    and exists (
      select 1 from approval_steps s where s.request_id = ${accessRequests.id} and s.status = 'pending'
        and ${actorId}::uuid in ${stepDeciderIds({
          step: "s",
          requesterId: sql`${accessRequests.requesterId}`,
          beneficiaryId: sql`${accessRequests.beneficiaryId}`,
          applicationId: sql`${entitlements.applicationId}`,
          entitlementId: sql`${entitlements.id}`,
          entitlementOwnerId: sql`${entitlements.ownerId}`,
        })}
    )
    and not (${entitlements.privileged} and ${entitlements.twoPersonRule} and exists (
      select 1 from approval_steps p where p.request_id = ${accessRequests.id} and p.status = 'approved' and p.decided_by_id = ${actorId}))
  )`;
}

/** Someone who was asked, or decided, at any step. */
function askedOf(actorId: string): SQL {
  return sql`exists (select 1 from approval_steps s where s.request_id = ${accessRequests.id} and (s.approver_id = ${actorId} or s.decided_by_id = ${actorId}))`;
}

/** Who may see a request: its requester, anyone who sees the beneficiary, the access's owners, and everyone asked. */
export function requestVisible(scope: Scope, actorId: string): SQL | undefined {
  if (scope.everything) return undefined;
  const owned = scope.ownedEntitlementIds.length ? sql` or ${accessRequests.entitlementId} = any(${uuidList(scope.ownedEntitlementIds)})` : sql``;
  return sql`(${accessRequests.requesterId} = ${actorId} or ${identityVisible(scope, accessRequests.beneficiaryId)}${owned} or ${askedOf(actorId)} or ${decidableBy(actorId)})`;
}

export type RequestListMode = { mode: "mine"; actorId: string } | { mode: "needs"; actorId: string } | { mode: "decided"; actorId: string } | { mode: "all"; actorId: string; scope: Scope };

const listColumns = {
  id: accessRequests.id,
  status: accessRequests.status,
  kind: accessRequests.kind,
  durationMinutes: accessRequests.durationMinutes,
  justification: accessRequests.justification,
  ticket: accessRequests.ticket,
  createdAt: accessRequests.createdAt,
  expiresAt: accessRequests.expiresAt,
  decidedAt: accessRequests.decidedAt,
  requesterId: accessRequests.requesterId,
  requesterName: requester.displayName,
  beneficiaryId: accessRequests.beneficiaryId,
  beneficiaryName: beneficiary.displayName,
  beneficiaryKind: beneficiary.kind,
  entitlementId: entitlements.id,
  entitlementName: entitlements.name,
  privileged: entitlements.privileged,
  breakGlass: entitlements.breakGlass,
  applicationId: applications.id,
  applicationName: applications.name,
  /** "Maya Manager (manager)", "an owner of AWS production" or "a named approver" for the step now waiting. */
  waitingOn: sql<string | null>`(
    select case when s.approver_id is not null then (select i.display_name from identities i where i.id = s.approver_id) || ' (' || replace(s.rule::text, '_', ' ') || ')'
      when s.routed_to = 'admins' then 'an administrator'
      when s.rule = 'app_owner' or s.routed_to = 'app_owners' then 'an owner of ' || ${applications.name}
      when s.rule = 'named' then 'a named approver of ' || ${entitlements.name}
      else 'the owner of ' || ${entitlements.name} end
    from approval_steps s where s.request_id = ${accessRequests.id} and s.status = 'pending' limit 1)`,
};

export type RequestRow = Awaited<ReturnType<typeof listRequests>>["rows"][number];

/**
 * Requests as lists: mine (asked by or for me, newest first), needs me (decidable now, soonest
 * to lapse first), decided by me (latest first), and all I may see. Keyset-paged.
 */
export async function listRequests(db: Executor, args: RequestListMode & { cursor?: string | null; limit?: number }) {
  const limit = Math.min(args.limit ?? 50, 200);
  const after = decodeCursor(args.cursor);
  const byExpiry = args.mode === "needs";
  const where =
    args.mode === "mine"
      ? sql`(${accessRequests.requesterId} = ${args.actorId} or ${accessRequests.beneficiaryId} = ${args.actorId})`
      : args.mode === "needs"
        ? decidableBy(args.actorId)
        : args.mode === "decided"
          ? sql`exists (select 1 from approval_steps s where s.request_id = ${accessRequests.id} and s.decided_by_id = ${args.actorId})`
          : requestVisible(args.scope, args.actorId);
  const keyset = after
    ? byExpiry
      ? sql`(${accessRequests.expiresAt}, ${accessRequests.id}) > (${String(after[0])}::timestamptz, ${String(after[1])}::uuid)`
      : sql`(${accessRequests.createdAt}, ${accessRequests.id}) < (${String(after[0])}::timestamptz, ${String(after[1])}::uuid)`
    : undefined;
  const rows = await db
    .select(listColumns)
    .from(accessRequests)
    .innerJoin(requester, eq(requester.id, accessRequests.requesterId))
    .innerJoin(beneficiary, eq(beneficiary.id, accessRequests.beneficiaryId))
    .innerJoin(entitlements, eq(entitlements.id, accessRequests.entitlementId))
    .innerJoin(applications, eq(applications.id, entitlements.applicationId))
    .where(and(where, keyset))
    .orderBy(...(byExpiry ? [asc(accessRequests.expiresAt), asc(accessRequests.id)] : [desc(accessRequests.createdAt), desc(accessRequests.id)]))
    .limit(limit + 1);
  return toPage(rows, limit, (r) => [(byExpiry ? r.expiresAt : r.createdAt).toISOString(), r.id]);
}

export async function countDecidable(db: Executor, args: { actorId: string }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(accessRequests)
    .innerJoin(entitlements, eq(entitlements.id, accessRequests.entitlementId))
    .where(decidableBy(args.actorId));
  return row?.n ?? 0;
}

/** One request with everything its status page shows, or null when the actor may not see it. */
export async function getRequestDetail(db: Executor, args: { requestId: string; scope: Scope; actorId: string }) {
  const [row] = await db
    .select({
      ...listColumns,
      startsAt: accessRequests.startsAt,
      beneficiaryType: beneficiary.type,
      beneficiaryTitle: beneficiary.title,
      beneficiaryDepartment: beneficiary.department,
      beneficiaryStatus: beneficiary.status,
      beneficiaryManagerId: beneficiary.managerId,
      beneficiaryOwnerId: beneficiary.ownerId,
      entitlementDescription: entitlements.description,
      entitlementOwnerId: entitlements.ownerId,
      riskLevel: entitlements.riskLevel,
      applicationRiskTier: applications.riskTier,
      allowedKinds: entitlements.allowedKinds,
      maxDurationMinutes: entitlements.maxDurationMinutes,
      requiresTicket: entitlements.requiresTicket,
      approvalChain: entitlements.approvalChain,
      twoPersonRule: entitlements.twoPersonRule,
      grantId: sql<string | null>`(select g.id from grants g where g.request_id = ${accessRequests.id} order by g.created_at limit 1)`,
    })
    .from(accessRequests)
    .innerJoin(requester, eq(requester.id, accessRequests.requesterId))
    .innerJoin(beneficiary, eq(beneficiary.id, accessRequests.beneficiaryId))
    .innerJoin(entitlements, eq(entitlements.id, accessRequests.entitlementId))
    .innerJoin(applications, eq(applications.id, entitlements.applicationId))
    .where(and(eq(accessRequests.id, args.requestId), requestVisible(args.scope, args.actorId)));
  if (!row) return null;
  const steps = await db
    .select({
      id: approvalSteps.id,
      position: approvalSteps.position,
      rule: approvalSteps.rule,
      status: approvalSteps.status,
      approverId: approvalSteps.approverId,
      approverName: approver.displayName,
      decidedById: approvalSteps.decidedById,
      deciderName: decider.displayName,
      decidedAt: approvalSteps.decidedAt,
      comment: approvalSteps.comment,
      approvedDurationMinutes: approvalSteps.approvedDurationMinutes,
      routedTo: approvalSteps.routedTo,
      routedReason: approvalSteps.routedReason,
      routedAt: approvalSteps.routedAt,
    })
    .from(approvalSteps)
    .leftJoin(approver, eq(approver.id, approvalSteps.approverId))
    .leftJoin(decider, eq(decider.id, approvalSteps.decidedById))
    .where(eq(approvalSteps.requestId, args.requestId))
    .orderBy(asc(approvalSteps.position));
  return { ...row, steps };
}

export async function getNames(db: Executor, args: { ids: string[] }): Promise<Map<string, string>> {
  if (args.ids.length === 0) return new Map();
  const rows = await db
    .select({ id: identities.id, name: identities.displayName })
    .from(identities)
    .where(sql`${identities.id} = any(${uuidList(args.ids)})`);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** What an approver weighs: who the beneficiary is, what they hold already, and what their peers hold. */
export async function getApprovalEvidence(db: Executor, args: { beneficiaryId: string; entitlementId: string; applicationId: string; requestId: string }) {
  const [who] = await db
    .select({ managerName: manager.displayName, ownerName: owner.displayName })
    .from(identities)
    .leftJoin(manager, eq(manager.id, identities.managerId))
    .leftJoin(owner, eq(owner.id, identities.ownerId))
    .where(eq(identities.id, args.beneficiaryId));
  const holdings = await db
    .select({
      id: grants.id,
      entitlementName: entitlements.name,
      kind: grants.kind,
      status: grants.status,
      privileged: entitlements.privileged,
      grantedAt: grants.grantedAt,
      expiresAt: grants.expiresAt,
    })
    .from(grants)
    .innerJoin(entitlements, eq(entitlements.id, grants.entitlementId))
    .where(and(eq(grants.identityId, args.beneficiaryId), eq(entitlements.applicationId, args.applicationId), sql`${grants.status} in ('active', 'pending_revocation')`))
    .orderBy(desc(entitlements.privileged), asc(entitlements.name))
    .limit(20);
  const history = await db
    .select({ id: grants.id, kind: grants.kind, status: grants.status, grantedAt: grants.grantedAt, endedAt: grants.endedAt })
    .from(grants)
    .where(and(eq(grants.identityId, args.beneficiaryId), eq(grants.entitlementId, args.entitlementId), sql`${grants.status} in ('revoked', 'expired')`))
    .orderBy(desc(grants.grantedAt))
    .limit(10);
  const earlierRequests = await db
    .select({ id: accessRequests.id, status: accessRequests.status, kind: accessRequests.kind, createdAt: accessRequests.createdAt })
    .from(accessRequests)
    .where(and(eq(accessRequests.beneficiaryId, args.beneficiaryId), eq(accessRequests.entitlementId, args.entitlementId), sql`${accessRequests.id} <> ${args.requestId}`))
    .orderBy(desc(accessRequests.createdAt))
    .limit(10);
  // Peers: people with the same manager, or non-human identities with the same owner.
  const [peers] = await db.execute<{ total: number; holding: number; eligible: number }>(sql`
    with me as (select kind, manager_id, owner_id from identities where id = ${args.beneficiaryId}),
    peers as (
      select i.id from identities i, me
      where i.id <> ${args.beneficiaryId} and i.status = 'active' and i.kind = me.kind
        and ((me.kind = 'human' and i.manager_id = me.manager_id) or (me.kind = 'non_human' and i.owner_id = me.owner_id))
      limit 5000
    )
    select (select count(*)::int from peers) as total,
      (select count(distinct g.identity_id)::int from grants g join peers p on p.id = g.identity_id
        where g.entitlement_id = ${args.entitlementId} and g.status in ('active', 'pending_revocation')) as holding,
      (select count(distinct g.identity_id)::int from grants g join peers p on p.id = g.identity_id
        where g.entitlement_id = ${args.entitlementId} and g.status in ('active', 'pending_revocation') and g.kind = 'eligible') as eligible`);
  const keys = await db
    .select({ kind: credentials.kind, scopes: credentials.scopes, issuedAt: credentials.issuedAt, lastRotatedAt: credentials.lastRotatedAt, lastUsedAt: credentials.lastUsedAt })
    .from(credentials)
    .where(eq(credentials.identityId, args.beneficiaryId))
    .orderBy(asc(credentials.issuedAt))
    .limit(10);
  return { managerName: who?.managerName ?? null, ownerName: who?.ownerName ?? null, holdings, history, earlierRequests, peers: peers ?? { total: 0, holding: 0, eligible: 0 }, credentials: keys };
}

/** The catalogue, searched by entitlement or application name, for the request form. */
export async function searchEntitlements(db: Executor, args: { q?: string; cursor?: string | null; limit?: number }) {
  const limit = Math.min(args.limit ?? 25, 100);
  const after = decodeCursor(args.cursor);
  const q = args.q?.trim();
  const pattern = q ? `%${escapeLike(q)}%` : null;
  const rows = await db
    .select({
      id: entitlements.id,
      name: entitlements.name,
      description: entitlements.description,
      privileged: entitlements.privileged,
      breakGlass: entitlements.breakGlass,
      riskLevel: entitlements.riskLevel,
      allowedKinds: entitlements.allowedKinds,
      maxDurationMinutes: entitlements.maxDurationMinutes,
      applicationId: applications.id,
      applicationName: applications.name,
    })
    .from(entitlements)
    .innerJoin(applications, eq(applications.id, entitlements.applicationId))
    .where(
      and(
        pattern ? sql`(${entitlements.name} ilike ${pattern} or ${applications.name} ilike ${pattern})` : undefined,
        after ? sql`(${applications.name}, ${entitlements.name}, ${entitlements.id}) > (${String(after[0])}, ${String(after[1])}, ${String(after[2])}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(applications.name), asc(entitlements.name), asc(entitlements.id))
    .limit(limit + 1);
  return toPage(rows, limit, (r) => [r.applicationName, r.name, r.id]);
}

/** Whom the actor may request for: themselves, their direct reports, the non-human identities they own. */
export async function listRequestableBeneficiaries(db: Executor, args: { actorId: string }) {
  return db
    .select({ id: identities.id, displayName: identities.displayName, kind: identities.kind, type: identities.type })
    .from(identities)
    .where(
      and(
        eq(identities.status, "active"),
        sql`(${identities.id} = ${args.actorId} or (${identities.managerId} = ${args.actorId} and ${identities.kind} = 'human') or (${identities.ownerId} = ${args.actorId} and ${identities.kind} = 'non_human'))`,
      ),
    )
    .orderBy(sql`${identities.id} <> ${args.actorId}`, asc(identities.kind), asc(identities.displayName))
    .limit(500);
}
