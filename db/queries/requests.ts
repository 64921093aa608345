import { and, asc, eq, inArray, lt, lte, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accessRequests, applicationOwners, applications, approvalSteps, entitlementApprovers, entitlements, grants, identities, identityRoles } from "@/db/schema";

/** The columns of an entitlement's request policy, with what approvals and activations need to know about it. */
export const policyColumns = {
  id: entitlements.id,
  name: entitlements.name,
  applicationId: entitlements.applicationId,
  applicationName: applications.name,
  ownerId: entitlements.ownerId,
  privileged: entitlements.privileged,
  breakGlass: entitlements.breakGlass,
  riskLevel: entitlements.riskLevel,
  allowedKinds: entitlements.allowedKinds,
  maxDurationMinutes: entitlements.maxDurationMinutes,
  requiresTicket: entitlements.requiresTicket,
  approvalChain: entitlements.approvalChain,
  twoPersonRule: entitlements.twoPersonRule,
};

export async function getEntitlementPolicy(db: Executor, args: { entitlementId: string }) {
  const [row] = await db.select(policyColumns).from(entitlements).innerJoin(applications, eq(applications.id, entitlements.applicationId)).where(eq(entitlements.id, args.entitlementId));
  return row ?? null;
}

/** Active owners of the application and the entitlement's owner if active: the people owner steps may ask. */
export async function getActiveOwners(db: Executor, args: { applicationId: string; entitlementOwnerId: string | null }) {
  const appOwners = await db
    .select({ id: identities.id })
    .from(applicationOwners)
    .innerJoin(identities, eq(identities.id, applicationOwners.identityId))
    .where(and(eq(applicationOwners.applicationId, args.applicationId), eq(identities.status, "active"), eq(identities.kind, "human")))
    .orderBy(asc(identities.displayName));
  let entitlementOwnerId: string | null = null;
  if (args.entitlementOwnerId) {
    const [owner] = await db
      .select({ id: identities.id })
      .from(identities)
      .where(and(eq(identities.id, args.entitlementOwnerId), eq(identities.status, "active"), eq(identities.kind, "human")));
    entitlementOwnerId = owner?.id ?? null;
  }
  return { appOwnerIds: appOwners.map((o) => o.id), entitlementOwnerId };
}

/** Active human named approvers of the entitlement: the people its `named` step may ask. */
export async function getActiveNamedApprovers(db: Executor, args: { entitlementId: string }): Promise<string[]> {
  const rows = await db
    .select({ id: identities.id })
    .from(entitlementApprovers)
    .innerJoin(identities, eq(identities.id, entitlementApprovers.identityId))
    .where(and(eq(entitlementApprovers.entitlementId, args.entitlementId), eq(identities.status, "active"), eq(identities.kind, "human")))
    .orderBy(asc(identities.displayName));
  return rows.map((r) => r.id);
}

/** Admins who may decide (active people, and not auditors: an auditor changes nothing even if also made admin). */
export async function getActiveAdmins(db: Executor): Promise<string[]> {
  const rows = await db
    .select({ id: identities.id })
    .from(identityRoles)
    .innerJoin(identities, eq(identities.id, identityRoles.identityId))
    .where(
      and(
        eq(identityRoles.role, "admin"),
        eq(identities.status, "active"),
        eq(identities.kind, "human"),
        sql`not exists (select 1 from identity_roles a where a.identity_id = ${identities.id} and a.role = 'auditor')`,
      ),
    )
    .orderBy(asc(identities.displayName));
  return rows.map((r) => r.id);
}

/**
 * The people who may decide an approval step now, as a subquery of identity ids: the person the
 * step names, or the group its rule names (or, once re-routed, the group it was routed to);
 * active people only, never the requester or the beneficiary. The one definition the queue, the
 * re-routing sweep and the services share (`step` is the alias of approval_steps in the caller).
 */
export function stepDeciderIds(x: { step: string; requesterId: SQL; beneficiaryId: SQL; applicationId: SQL; entitlementId: SQL; entitlementOwnerId: SQL }): SQL {
  const s = sql.raw(x.step);
  return sql`(
    select d.id from (
      select ${s}.approver_id as id where ${s}.approver_id is not null
      union all
      select ao.identity_id from application_owners ao
        where ${s}.approver_id is null and ao.application_id = ${x.applicationId}
          and ((${s}.routed_to is null and ${s}.rule = 'app_owner') or ${s}.routed_to = 'app_owners')
      union all
      select ${x.entitlementOwnerId} where ${s}.approver_id is null and ${s}.routed_to is null and ${s}.rule = 'entitlement_owner'
      union all
      select ea.identity_id from entitlement_approvers ea
        where ${s}.approver_id is null and ${s}.routed_to is null and ${s}.rule = 'named' and ea.entitlement_id = ${x.entitlementId}
      union all
      select r.identity_id from identity_roles r
        where ${s}.approver_id is null and ${s}.routed_to = 'admins' and r.role = 'admin'
          and not exists (select 1 from identity_roles a where a.identity_id = r.identity_id and a.role = 'auditor')
    ) c join identities d on d.id = c.id
    where d.status = 'active' and d.kind = 'human' and d.id <> ${x.requesterId} and d.id <> ${x.beneficiaryId}
  )`;
}

/** Who may decide the step now (see stepDeciderIds), by name. */
export async function listStepDeciders(db: Executor, args: { stepId: string }): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    select n.id from approval_steps s
      join access_requests r on r.id = s.request_id
      join entitlements e on e.id = r.entitlement_id
      cross join lateral ${stepDeciderIds({ step: "s", requesterId: sql`r.requester_id`, beneficiaryId: sql`r.beneficiary_id`, applicationId: sql`e.application_id`, entitlementId: sql`e.id`, entitlementOwnerId: sql`e.owner_id` })} c
      join identities n on n.id = c.id
    where s.id = ${args.stepId}
    order by n.display_name, n.id`);
  return [...new Set(rows.map((r) => r.id))];
}

/**
 * Steps now waiting for a decision, on live requests, that nobody may decide any more: their people left or were
 * suspended, or (two-person rule) the only ones left already approved an earlier step. Locked
 * with the request, as a decision locks them; SKIP LOCKED lets two sweeps share the work.
 */
export async function lockStuckSteps(db: Executor, args: { at: Date; afterStepId: string | null; limit: number }) {
  return db.execute<{ step_id: string; request_id: string }>(sql`
    select s.id as step_id, r.id as request_id from approval_steps s
      join access_requests r on r.id = s.request_id
      join entitlements e on e.id = r.entitlement_id
    where r.status = 'pending' and r.expires_at > ${args.at.toISOString()}::timestamptz and s.status = 'pending'
      ${args.afterStepId ? sql`and s.id > ${args.afterStepId}::uuid` : sql``}
      and not exists (
        select 1 from ${stepDeciderIds({ step: "s", requesterId: sql`r.requester_id`, beneficiaryId: sql`r.beneficiary_id`, applicationId: sql`e.application_id`, entitlementId: sql`e.id`, entitlementOwnerId: sql`e.owner_id` })} c
        where not (e.privileged and e.two_person_rule and exists (
          select 1 from approval_steps p where p.request_id = r.id and p.status = 'approved' and p.decided_by_id = c.id)))
    order by s.id
    limit ${args.limit}
    for update of s, r skip locked`);
}

export type LineEntry = {
  id: string;
  displayName: string;
  status: "active" | "suspended" | "leaver";
  kind: "human" | "non_human";
};

/**
 * Who stands above an identity, nearest first: a person's managers, or a non-human identity's
 * owner and then the owner's managers. Bounded, so a cycle in bad HR data cannot loop.
 */
export async function getManagerLine(db: Executor, args: { identityId: string }): Promise<LineEntry[]> {
  return db.execute<LineEntry>(sql`
    with recursive up(id, depth) as (
      select case when i.kind = 'human' then i.manager_id else i.owner_id end, 1 from identities i where i.id = ${args.identityId}
      union all
      select m.manager_id, up.depth + 1 from up join identities m on m.id = up.id where up.depth < 25 and m.manager_id is not null
    )
    select up.id, i.display_name as "displayName", i.status, i.kind from up join identities i on i.id = up.id order by up.depth`);
}

export async function getIdentityForRequest(db: Executor, args: { identityId: string }) {
  const [row] = await db
    .select({ id: identities.id, displayName: identities.displayName, kind: identities.kind, status: identities.status, ownerId: identities.ownerId })
    .from(identities)
    .where(eq(identities.id, args.identityId));
  return row ?? null;
}

export async function findLiveGrant(db: Executor, args: { identityId: string; entitlementId: string; kind: "standing" | "time_bound" | "eligible" }) {
  const [row] = await db
    .select({ id: grants.id })
    .from(grants)
    .where(and(eq(grants.identityId, args.identityId), eq(grants.entitlementId, args.entitlementId), eq(grants.kind, args.kind), inArray(grants.status, ["active", "pending_revocation"])));
  return row ?? null;
}

export async function findPendingRequest(db: Executor, args: { beneficiaryId: string; entitlementId: string; kind: "standing" | "time_bound" | "eligible" }) {
  const [row] = await db
    .select({ id: accessRequests.id })
    .from(accessRequests)
    .where(and(eq(accessRequests.beneficiaryId, args.beneficiaryId), eq(accessRequests.entitlementId, args.entitlementId), eq(accessRequests.kind, args.kind), eq(accessRequests.status, "pending")));
  return row ?? null;
}

export async function insertRequest(db: Executor, values: typeof accessRequests.$inferInsert) {
  const [row] = await db.insert(accessRequests).values(values).returning({ id: accessRequests.id });
  return row!;
}

export async function insertSteps(db: Executor, values: (typeof approvalSteps.$inferInsert)[]) {
  return db.insert(approvalSteps).values(values).returning({ id: approvalSteps.id, position: approvalSteps.position, status: approvalSteps.status });
}

/** The step with its request and entitlement, locked so two approvers cannot decide it at once. */
export async function getStepForDecision(db: Executor, args: { stepId: string }) {
  const [row] = await db
    .select({ step: approvalSteps, request: accessRequests, entitlement: policyColumns })
    .from(approvalSteps)
    .innerJoin(accessRequests, eq(accessRequests.id, approvalSteps.requestId))
    .innerJoin(entitlements, eq(entitlements.id, accessRequests.entitlementId))
    .innerJoin(applications, eq(applications.id, entitlements.applicationId))
    .where(eq(approvalSteps.id, args.stepId))
    .for("update", { of: [approvalSteps, accessRequests] });
  if (!row) return null;
  const earlier = await db
    .select({ decidedById: approvalSteps.decidedById })
    .from(approvalSteps)
    .where(and(eq(approvalSteps.requestId, row.request.id), lt(approvalSteps.position, row.step.position), eq(approvalSteps.status, "approved")));
  return { ...row, earlierApproverIds: earlier.map((e) => e.decidedById).filter((id): id is string => Boolean(id)) };
}

/** The request locked for a change by its requester (cancel). */
export async function getRequestForUpdate(db: Executor, args: { requestId: string }) {
  const [row] = await db.select().from(accessRequests).where(eq(accessRequests.id, args.requestId)).for("update");
  return row ?? null;
}

export async function updateStep(db: Executor, args: { stepId: string; values: Partial<typeof approvalSteps.$inferInsert> }) {
  await db.update(approvalSteps).set(args.values).where(eq(approvalSteps.id, args.stepId));
}

/** Closes every step still waiting or pending (a denial, an expiry or a cancellation ends the chain). */
export async function closeOpenSteps(db: Executor, args: { requestId: string; status: "expired" | "skipped"; comment: string }) {
  await db
    .update(approvalSteps)
    .set({ status: args.status, comment: args.comment })
    .where(and(eq(approvalSteps.requestId, args.requestId), inArray(approvalSteps.status, ["waiting", "pending"])));
}

export async function nextWaitingStep(db: Executor, args: { requestId: string; afterPosition: number }) {
  const [row] = await db
    .select()
    .from(approvalSteps)
    .where(and(eq(approvalSteps.requestId, args.requestId), eq(approvalSteps.status, "waiting"), sql`${approvalSteps.position} > ${args.afterPosition}`))
    .orderBy(asc(approvalSteps.position))
    .limit(1);
  return row ?? null;
}

export async function updateRequest(db: Executor, args: { requestId: string; values: Partial<typeof accessRequests.$inferInsert> }) {
  await db.update(accessRequests).set(args.values).where(eq(accessRequests.id, args.requestId));
}

export async function insertGrant(db: Executor, values: typeof grants.$inferInsert) {
  const [row] = await db.insert(grants).values(values).returning({ id: grants.id });
  return row!;
}

/** Everyone who approved a step of the request so far, in step order. */
export async function listApprovers(db: Executor, args: { requestId: string }): Promise<string[]> {
  const rows = await db
    .select({ id: approvalSteps.decidedById })
    .from(approvalSteps)
    .where(and(eq(approvalSteps.requestId, args.requestId), eq(approvalSteps.status, "approved")))
    .orderBy(asc(approvalSteps.position));
  return rows.map((r) => r.id).filter((id): id is string => Boolean(id));
}

/** The shortest duration any approver allowed so far: "approve shorter" can only shrink access. */
export async function shortestApprovedDuration(db: Executor, args: { requestId: string }): Promise<number | null> {
  const [row] = await db
    .select({ minutes: sql<number | null>`min(${approvalSteps.approvedDurationMinutes})` })
    .from(approvalSteps)
    .where(and(eq(approvalSteps.requestId, args.requestId), eq(approvalSteps.status, "approved")));
  return row?.minutes ?? null;
}

/** Pending requests past their deadline, locked; SKIP LOCKED lets two sweeps share the work. */
export async function lockDueRequests(db: Executor, args: { at: Date; limit: number }) {
  return db
    .select({
      id: accessRequests.id,
      requesterId: accessRequests.requesterId,
      beneficiaryId: accessRequests.beneficiaryId,
      entitlementId: accessRequests.entitlementId,
      expiresAt: accessRequests.expiresAt,
    })
    .from(accessRequests)
    .where(and(eq(accessRequests.status, "pending"), lte(accessRequests.expiresAt, args.at)))
    .orderBy(asc(accessRequests.expiresAt))
    .limit(args.limit)
    .for("update", { skipLocked: true });
}
