import { and, asc, eq, ilike, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { applicationOwners, applications, entitlements, identities } from "@/db/schema";
import { decodeCursor, toPage } from "./cursor";
import { escapeLike } from "./identities";

/**
 * The application catalogue is visible to every signed-in person (it is what they request
 * access from). Who holds what inside an application is scoped: see grants.ts.
 */
// A single-table select renders columns unqualified ("id"), which inside a correlated subquery
// would name the inner table's id: the outer column is spelled out.
const applicationId = sql`${applications}."id"`;

export async function listApplications(db: Executor, args: { actorId: string; ownedOnly?: boolean; q?: string; cursor?: string | null; limit?: number }) {
  const limit = Math.min(args.limit ?? 50, 200);
  const after = decodeCursor(args.cursor);
  const q = args.q?.trim();
  const rows = await db
    .select({
      id: applications.id,
      name: applications.name,
      description: applications.description,
      riskTier: applications.riskTier,
      connectorKind: applications.connectorKind,
      revocationSlaHours: applications.revocationSlaHours,
      owners: sql<
        string[]
      >`coalesce((select array_agg(o.display_name order by o.display_name) from application_owners ao join identities o on o.id = ao.identity_id where ao.application_id = ${applicationId}), '{}')`,
      ownedByActor: sql<boolean>`exists (select 1 from application_owners ao where ao.application_id = ${applicationId} and ao.identity_id = ${args.actorId})`,
      entitlementCount: sql<number>`(select count(*)::int from entitlements e where e.application_id = ${applicationId})`,
      privilegedCount: sql<number>`(select count(*)::int from entitlements e where e.application_id = ${applicationId} and e.privileged)`,
    })
    .from(applications)
    .where(
      and(
        args.ownedOnly ? sql`exists (select 1 from application_owners ao where ao.application_id = ${applicationId} and ao.identity_id = ${args.actorId})` : undefined,
        q ? ilike(applications.name, `%${escapeLike(q)}%`) : undefined,
        after ? sql`(${applications.name}, ${applications.id}) > (${String(after[0])}, ${String(after[1])}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(applications.name), asc(applications.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => [row.name, row.id]);
}

export async function getApplication(db: Executor, args: { applicationId: string }) {
  const [row] = await db.select().from(applications).where(eq(applications.id, args.applicationId));
  if (!row) return null;
  // The encrypted connector secret never leaves the data layer.
  const { connectorSecret, ...rest } = row;
  return { ...rest, hasConnectorSecret: Boolean(connectorSecret) };
}

export async function listApplicationOwners(db: Executor, args: { applicationId: string }) {
  return db
    .select({ id: identities.id, displayName: identities.displayName, email: identities.email, status: identities.status })
    .from(applicationOwners)
    .innerJoin(identities, eq(identities.id, applicationOwners.identityId))
    .where(eq(applicationOwners.applicationId, args.applicationId))
    .orderBy(asc(identities.displayName));
}

export async function listEntitlements(db: Executor, args: { applicationId: string }) {
  return db
    .select({
      id: entitlements.id,
      name: entitlements.name,
      kind: entitlements.kind,
      description: entitlements.description,
      privileged: entitlements.privileged,
      breakGlass: entitlements.breakGlass,
      riskLevel: entitlements.riskLevel,
      maxDurationMinutes: entitlements.maxDurationMinutes,
      allowedKinds: entitlements.allowedKinds,
      ownerId: entitlements.ownerId,
      ownerName: identities.displayName,
      activeGrants: sql<number>`(select count(*)::int from grants g where g.entitlement_id = ${entitlements.id} and g.status = 'active')`,
      standingGrants: sql<number>`(select count(*)::int from grants g where g.entitlement_id = ${entitlements.id} and g.status = 'active' and g.kind = 'standing')`,
    })
    .from(entitlements)
    .leftJoin(identities, eq(identities.id, entitlements.ownerId))
    .where(eq(entitlements.applicationId, args.applicationId))
    .orderBy(sql`${entitlements.privileged} desc`, asc(entitlements.name));
}

export async function getEntitlementForUpdate(db: Executor, args: { entitlementId: string }) {
  const [row] = await db
    .select({
      id: entitlements.id,
      name: entitlements.name,
      privileged: entitlements.privileged,
      ownerId: entitlements.ownerId,
      applicationId: entitlements.applicationId,
      applicationOwnerIds: sql<string[]>`coalesce((select array_agg(ao.identity_id) from application_owners ao where ao.application_id = ${entitlements.applicationId}), '{}')`,
    })
    .from(entitlements)
    .where(eq(entitlements.id, args.entitlementId))
    .for("update");
  return row ?? null;
}

export async function updateEntitlementPrivileged(db: Executor, args: { entitlementId: string; privileged: boolean; at: Date }) {
  await db.update(entitlements).set({ privileged: args.privileged, updatedAt: args.at }).where(eq(entitlements.id, args.entitlementId));
}
