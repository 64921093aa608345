import { and, asc, eq, inArray, notInArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { accessRequests, applications, entitlementApprovers, entitlements, identities } from "@/db/schema";
import { policyColumns } from "./requests";

const owner = alias(identities, "owner");

/** An entitlement's page: what it is, its policy, who owns it, how many hold it and how. */
export async function getEntitlementProfile(db: Executor, args: { entitlementId: string }) {
  const [row] = await db
    .select({
      ...policyColumns,
      description: entitlements.description,
      kind: entitlements.kind,
      externalId: entitlements.externalId,
      applicationRiskTier: applications.riskTier,
      ownerName: owner.displayName,
      updatedAt: entitlements.updatedAt,
      applicationOwnerIds: sql<string[]>`coalesce((select array_agg(ao.identity_id) from application_owners ao where ao.application_id = ${entitlements.applicationId}), '{}')`,
      applicationOwnerNames: sql<
        string[]
      >`coalesce((select array_agg(i.display_name order by i.display_name) from application_owners ao join identities i on i.id = ao.identity_id where ao.application_id = ${entitlements.applicationId}), '{}')`,
      holders: sql<{ standing: number; time_bound: number; eligible: number }>`(
        select jsonb_build_object(
          'standing', count(*) filter (where g.kind = 'standing'),
          'time_bound', count(*) filter (where g.kind = 'time_bound'),
          'eligible', count(*) filter (where g.kind = 'eligible'))
        from grants g where g.entitlement_id = ${entitlements.id} and g.status in ('active', 'pending_revocation'))`,
      openWindows: sql<number>`(select count(*)::int from activations a join grants g on g.id = a.grant_id where g.entitlement_id = ${entitlements.id} and a.status = 'active')`,
      pendingRequests: sql<number>`(select count(*)::int from ${accessRequests} r where r.entitlement_id = ${entitlements.id} and r.status = 'pending')`,
    })
    .from(entitlements)
    .innerJoin(applications, eq(applications.id, entitlements.applicationId))
    .leftJoin(owner, eq(owner.id, entitlements.ownerId))
    .where(eq(entitlements.id, args.entitlementId));
  return row ?? null;
}

export type PolicyValues = Pick<typeof entitlements.$inferInsert, "allowedKinds" | "maxDurationMinutes" | "requiresTicket" | "approvalChain" | "twoPersonRule" | "breakGlass">;

/** The policy, locked for a change by its owner. */
export async function getPolicyForUpdate(db: Executor, args: { entitlementId: string }) {
  const [row] = await db
    .select({
      id: entitlements.id,
      applicationId: entitlements.applicationId,
      ownerId: entitlements.ownerId,
      allowedKinds: entitlements.allowedKinds,
      maxDurationMinutes: entitlements.maxDurationMinutes,
      requiresTicket: entitlements.requiresTicket,
      approvalChain: entitlements.approvalChain,
      twoPersonRule: entitlements.twoPersonRule,
      breakGlass: entitlements.breakGlass,
      applicationOwnerIds: sql<string[]>`coalesce((select array_agg(ao.identity_id) from application_owners ao where ao.application_id = ${entitlements.applicationId}), '{}')`,
      namedApproverIds: sql<string[]>`coalesce((select array_agg(ea.identity_id order by ea.identity_id) from entitlement_approvers ea where ea.entitlement_id = ${entitlements.id}), '{}')`,
    })
    .from(entitlements)
    .where(eq(entitlements.id, args.entitlementId))
    .for("update", { of: entitlements });
  return row ?? null;
}

/** Who may manage the entitlement (its owner and the application's owners), to check before anything else. */
export async function getEntitlementManagers(db: Executor, args: { entitlementId: string }) {
  const [row] = await db
    .select({
      id: entitlements.id,
      ownerId: entitlements.ownerId,
      applicationOwnerIds: sql<string[]>`coalesce((select array_agg(ao.identity_id) from application_owners ao where ao.application_id = ${entitlements.applicationId}), '{}')`,
    })
    .from(entitlements)
    .where(eq(entitlements.id, args.entitlementId));
  return row ?? null;
}

/** The entitlement's named approvers, whatever their status now (a leaver stays listed until the owner removes them). */
export async function listNamedApprovers(db: Executor, args: { entitlementId: string }) {
  return db
    .select({ id: identities.id, name: identities.displayName, email: identities.email, title: identities.title, status: identities.status })
    .from(entitlementApprovers)
    .innerJoin(identities, eq(identities.id, entitlementApprovers.identityId))
    .where(eq(entitlementApprovers.entitlementId, args.entitlementId))
    .orderBy(asc(identities.displayName));
}

/** The people proposed as named approvers, to check that each is an active person. */
export async function getProposedApprovers(db: Executor, args: { ids: string[] }) {
  if (args.ids.length === 0) return [];
  return db.select({ id: identities.id, name: identities.displayName, kind: identities.kind, status: identities.status }).from(identities).where(inArray(identities.id, args.ids));
}

/** Makes the named approvers exactly `identityIds`; people already named keep who added them and when. */
export async function replaceNamedApprovers(db: Executor, args: { entitlementId: string; identityIds: string[]; addedById: string; at: Date }) {
  await db
    .delete(entitlementApprovers)
    .where(and(eq(entitlementApprovers.entitlementId, args.entitlementId), args.identityIds.length ? notInArray(entitlementApprovers.identityId, args.identityIds) : undefined));
  if (args.identityIds.length === 0) return;
  await db
    .insert(entitlementApprovers)
    .values(args.identityIds.map((identityId) => ({ entitlementId: args.entitlementId, identityId, addedById: args.addedById, addedAt: args.at })))
    .onConflictDoNothing();
}

export async function updatePolicy(db: Executor, args: { entitlementId: string; values: PolicyValues; at: Date }) {
  await db
    .update(entitlements)
    .set({ ...args.values, updatedAt: args.at })
    .where(eq(entitlements.id, args.entitlementId));
}
