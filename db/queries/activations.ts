import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { activations, applications, entitlements, grants, identities } from "@/db/schema";
import { policyColumns } from "./requests";

const holderColumns = {
  holderId: identities.id,
  holderName: identities.displayName,
  holderKind: identities.kind,
  holderStatus: identities.status,
  holderOwnerId: identities.ownerId,
  holderManagerId: identities.managerId,
};

const applicationOwnerIds = sql<string[]>`coalesce((select array_agg(ao.identity_id) from application_owners ao where ao.application_id = ${entitlements.applicationId}), '{}')`;

/** An eligible grant with its holder and policy, locked: activations of one grant are decided one at a time. */
export async function getGrantForActivation(db: Executor, args: { grantId: string; lock?: boolean }) {
  const query = db
    .select({
      grant: { id: grants.id, kind: grants.kind, status: grants.status, expiresAt: grants.expiresAt },
      holder: holderColumns,
      entitlement: policyColumns,
      applicationOwnerIds,
    })
    .from(grants)
    .innerJoin(identities, eq(identities.id, grants.identityId))
    .innerJoin(entitlements, eq(entitlements.id, grants.entitlementId))
    .innerJoin(applications, eq(applications.id, entitlements.applicationId))
    .where(eq(grants.id, args.grantId));
  const [row] = args.lock === false ? await query : await query.for("update", { of: grants });
  return row ?? null;
}

export async function findOpenActivation(db: Executor, args: { grantId: string }) {
  const [row] = await db
    .select({ id: activations.id, endsAt: activations.endsAt })
    .from(activations)
    .where(and(eq(activations.grantId, args.grantId), inArray(activations.status, ["pending", "active"])));
  return row ?? null;
}

export async function insertActivation(db: Executor, values: typeof activations.$inferInsert) {
  const [row] = await db.insert(activations).values(values).returning({ id: activations.id });
  return row!;
}

/** An activation with what deciding to end it needs, locked. */
export async function getActivationForEnd(db: Executor, args: { activationId: string }) {
  const [row] = await db
    .select({
      activation: { id: activations.id, grantId: activations.grantId, status: activations.status, startsAt: activations.startsAt, endsAt: activations.endsAt, breakGlass: activations.breakGlass },
      holder: holderColumns,
      entitlementOwnerId: entitlements.ownerId,
      applicationOwnerIds,
    })
    .from(activations)
    .innerJoin(grants, eq(grants.id, activations.grantId))
    .innerJoin(identities, eq(identities.id, grants.identityId))
    .innerJoin(entitlements, eq(entitlements.id, grants.entitlementId))
    .where(eq(activations.id, args.activationId))
    .for("update", { of: activations });
  return row ?? null;
}

export async function endActivation(db: Executor, args: { activationId: string; status: "ended" | "expired"; endedAt: Date }) {
  await db.update(activations).set({ status: args.status, endedAt: args.endedAt }).where(eq(activations.id, args.activationId));
}

/** Windows whose end has passed, locked; SKIP LOCKED lets two sweeps share the work. */
export async function lockDueActivations(db: Executor, args: { at: Date; limit: number }) {
  return db
    .select({ id: activations.id, grantId: activations.grantId, endsAt: activations.endsAt, breakGlass: activations.breakGlass })
    .from(activations)
    .where(and(eq(activations.status, "active"), lte(activations.endsAt, args.at)))
    .orderBy(asc(activations.endsAt))
    .limit(args.limit)
    .for("update", { skipLocked: true });
}

/** Time-bound (and eligible-until) grants past their end that are still active, locked. */
export async function lockDueGrants(db: Executor, args: { at: Date; limit: number }) {
  return db
    .select({ id: grants.id, kind: grants.kind, expiresAt: grants.expiresAt })
    .from(grants)
    .where(and(eq(grants.status, "active"), lte(grants.expiresAt, args.at)))
    .orderBy(asc(grants.expiresAt))
    .limit(args.limit)
    .for("update", { skipLocked: true });
}

/** Active humans among the given ids, and the active admins (who are told when nobody else is). */
export async function filterActiveHumans(db: Executor, args: { ids: string[] }): Promise<string[]> {
  if (args.ids.length === 0) return [];
  const rows = await db
    .select({ id: identities.id })
    .from(identities)
    .where(and(inArray(identities.id, args.ids), eq(identities.status, "active"), eq(identities.kind, "human")));
  return rows.map((r) => r.id);
}

export async function listActiveAdminIds(db: Executor): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    select i.id from identity_roles r join identities i on i.id = r.identity_id where r.role = 'admin' and i.status = 'active'`);
  return rows.map((r) => r.id);
}
