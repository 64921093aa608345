import { and, asc, count, eq, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { applications, entitlements, grants, identities } from "@/db/schema";
import type { ElementSource, FilterContext } from "@/lib/domain/scim/filter-sql";
import { ENTERPRISE_SCHEMA } from "@/lib/domain/scim/schema-definitions";

/**
 * Queries of the SCIM server. Every one is scoped to one identity source ("scim:<name>") in its
 * WHERE clause: a Users row is an identity of that source whose scim_resource is set (DELETE
 * clears it), a Groups row an entitlement of kind 'group' of that source's application.
 */
const LIVE = sql`('active', 'pending_revocation')`;

/** updated_at in microseconds: the resource version behind ETags. */
const versionOf = (column: typeof identities.updatedAt | typeof entitlements.updatedAt) => sql<string>`(floor(extract(epoch from ${column}) * 1000000))::bigint::text`;
/** Moves updated_at forward by at least a microsecond, so no two writes share a version. */
const bump = (column: typeof identities.updatedAt | typeof entitlements.updatedAt, at: Date) => sql`greatest(${at.toISOString()}::timestamptz, ${column} + interval '1 microsecond')`;

const userColumns = {
  id: identities.id,
  userName: identities.userName,
  displayName: identities.displayName,
  status: identities.status,
  title: identities.title,
  department: identities.department,
  employeeNumber: identities.employeeNumber,
  managerId: identities.managerId,
  email: identities.email,
  scimResource: identities.scimResource,
  createdAt: identities.createdAt,
  updatedAt: identities.updatedAt,
  version: versionOf(identities.updatedAt),
};

export interface ScimUserRow {
  id: string;
  userName: string | null;
  displayName: string;
  status: "active" | "suspended" | "leaver";
  title: string | null;
  department: string | null;
  employeeNumber: string | null;
  managerId: string | null;
  email: string | null;
  scimResource: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
  version: string;
}

const userVisible = (source: string) => and(eq(identities.source, source), isNotNull(identities.scimResource));

export const userFilterContext: FilterContext = {
  kind: "User",
  document: identities.scimResource,
  columns: {
    id: { expr: identities.id, type: "uuid" },
    userName: { expr: identities.userName, type: "string" },
    displayName: { expr: identities.displayName, type: "string" },
    active: { expr: identities.status, type: "active" },
    title: { expr: identities.title, type: "string" },
    [`${ENTERPRISE_SCHEMA}:department`]: { expr: identities.department, type: "string" },
    [`${ENTERPRISE_SCHEMA}:employeeNumber`]: { expr: identities.employeeNumber, type: "string" },
    "meta.created": { expr: identities.createdAt, type: "dateTime" },
    "meta.lastModified": { expr: identities.updatedAt, type: "dateTime" },
    "meta.resourceType": { expr: sql`'User'::text`, type: "string", caseExact: true },
  },
};

export async function countScimUsers(db: Executor, args: { source: string; where?: SQL }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(identities)
    .where(and(userVisible(args.source), args.where));
  return row?.n ?? 0;
}

/** Index paging (RFC 7644 §3.4.2.4) in SQL, in primary-key order so the order is stable. */
export async function listScimUsers(db: Executor, args: { source: string; where?: SQL; offset: number; limit: number }): Promise<ScimUserRow[]> {
  if (args.limit === 0) return [];
  return db
    .select(userColumns)
    .from(identities)
    .where(and(userVisible(args.source), args.where))
    .orderBy(asc(identities.id))
    .offset(args.offset)
    .limit(args.limit) as Promise<ScimUserRow[]>;
}

/** One user; with `lock`, the row is held until commit (FOR NO KEY UPDATE, so new grants referencing it are not blocked). */
export async function getScimUser(db: Executor, args: { source: string; id: string; lock?: boolean }): Promise<ScimUserRow | null> {
  const query = db
    .select(userColumns)
    .from(identities)
    .where(and(eq(identities.id, args.id), userVisible(args.source)));
  const [row] = await (args.lock ? query.for("no key update") : query);
  return (row as ScimUserRow | undefined) ?? null;
}

/** Serialises writers of one key (a userName, a group name) until the transaction ends. */
export async function lockScimKey(tx: Executor, args: { key: string }): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${args.key}, 0))`);
}

export async function findUserNameHolder(db: Executor, args: { source: string; userName: string; exceptId?: string }): Promise<string | null> {
  const [row] = await db
    .select({ id: identities.id })
    .from(identities)
    .where(and(userVisible(args.source), sql`lower(${identities.userName}) = lower(${args.userName})`, args.exceptId ? sql`${identities.id} <> ${args.exceptId}::uuid` : undefined))
    .limit(1);
  return row?.id ?? null;
}

/** Of the given ids, those that are live Users of the source (callers pass UUIDs only). */
export async function findScimUserIds(db: Executor, args: { source: string; ids: string[] }): Promise<string[]> {
  if (args.ids.length === 0) return [];
  const rows = await db
    .select({ id: identities.id })
    .from(identities)
    .where(and(inArray(identities.id, args.ids), userVisible(args.source)));
  return rows.map((r) => r.id);
}

export async function insertScimUser(tx: Executor, values: typeof identities.$inferInsert): Promise<ScimUserRow> {
  const [row] = await tx.insert(identities).values(values).returning(userColumns);
  return row as ScimUserRow;
}

export async function updateScimUser(tx: Executor, args: { id: string; values: Partial<typeof identities.$inferInsert>; at: Date }): Promise<ScimUserRow> {
  const [row] = await tx
    .update(identities)
    .set({ ...args.values, updatedAt: bump(identities.updatedAt, args.at) })
    .where(eq(identities.id, args.id))
    .returning(userColumns);
  return row as ScimUserRow;
}

/**
 * Gives the identity an email if no other identity has it (emails are unique across sources
 * and sign-in matches on them). A savepoint absorbs a concurrent claim of the same address.
 */
export async function claimEmail(tx: Executor, args: { identityId: string; email: string | null }): Promise<string | null> {
  if (args.email === null) {
    await tx.update(identities).set({ email: null }).where(eq(identities.id, args.identityId));
    return null;
  }
  try {
    return await tx.transaction(async (sp) => {
      const rows = await sp
        .update(identities)
        .set({ email: args.email })
        .where(and(eq(identities.id, args.identityId), sql`not exists (select 1 from identities other where lower(other.email) = lower(${args.email}) and other.id <> ${args.identityId}::uuid)`))
        .returning({ email: identities.email });
      if (rows.length === 0) await sp.update(identities).set({ email: null }).where(eq(identities.id, args.identityId));
      return rows[0]?.email ?? null;
    });
  } catch {
    await tx.update(identities).set({ email: null }).where(eq(identities.id, args.identityId));
    return null;
  }
}

// ---- Groups -------------------------------------------------------------------------------

export async function findScimApplication(db: Executor, args: { source: string }): Promise<string | null> {
  const [row] = await db.select({ id: applications.id }).from(applications).where(eq(applications.source, args.source)).orderBy(asc(applications.createdAt)).limit(1);
  return row?.id ?? null;
}

/** Creates the source's application; null when another application already holds the name. */
export async function insertScimApplication(tx: Executor, args: { source: string; name: string; at: Date }): Promise<string | null> {
  const [row] = await tx
    .insert(applications)
    .values({ source: args.source, name: args.name, description: `Groups provisioned over SCIM by ${args.source}.`, connectorKind: "none", createdAt: args.at, updatedAt: args.at })
    .onConflictDoNothing()
    .returning({ id: applications.id });
  return row?.id ?? null;
}

const groupColumns = {
  id: entitlements.id,
  displayName: entitlements.name,
  scimResource: entitlements.scimResource,
  createdAt: entitlements.createdAt,
  updatedAt: entitlements.updatedAt,
  version: versionOf(entitlements.updatedAt),
};

export interface ScimGroupRow {
  id: string;
  displayName: string;
  scimResource: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
  version: string;
}

const groupVisible = (applicationId: string) => and(eq(entitlements.applicationId, applicationId), eq(entitlements.kind, "group"), isNotNull(entitlements.scimResource));

/** A Group's members, for filters: rows of grants joined to the member identity `m`. */
export function memberElements(entitlementId: SQL | typeof entitlements.id, source: string): ElementSource {
  return {
    exists: (condition) =>
      sql`exists (select 1 from grants g join identities m on m.id = g.identity_id where g.entitlement_id = ${entitlementId} and g.status in ${LIVE} and m.source = ${source} and m.scim_resource is not null and ${condition})`,
    column: (sub) =>
      sub.name === "value"
        ? { expr: sql`m.id`, type: "uuid" }
        : sub.name === "display"
          ? { expr: sql`m.display_name`, type: "string" }
          : sub.name === "type"
            ? { expr: sql`'User'::text`, type: "string" }
            : null,
  };
}

export function groupFilterContext(source: string): FilterContext {
  return {
    kind: "Group",
    document: entitlements.scimResource,
    columns: {
      id: { expr: entitlements.id, type: "uuid" },
      displayName: { expr: entitlements.name, type: "string" },
      "meta.created": { expr: entitlements.createdAt, type: "dateTime" },
      "meta.lastModified": { expr: entitlements.updatedAt, type: "dateTime" },
      "meta.resourceType": { expr: sql`'Group'::text`, type: "string", caseExact: true },
    },
    elements: { members: memberElements(entitlements.id, source) },
  };
}

export async function countScimGroups(db: Executor, args: { applicationId: string; where?: SQL }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(entitlements)
    .where(and(groupVisible(args.applicationId), args.where));
  return row?.n ?? 0;
}

export async function listScimGroups(db: Executor, args: { applicationId: string; where?: SQL; offset: number; limit: number }): Promise<ScimGroupRow[]> {
  if (args.limit === 0) return [];
  return db
    .select(groupColumns)
    .from(entitlements)
    .where(and(groupVisible(args.applicationId), args.where))
    .orderBy(asc(entitlements.id))
    .offset(args.offset)
    .limit(args.limit) as Promise<ScimGroupRow[]>;
}

export async function getScimGroup(db: Executor, args: { applicationId: string; id: string; lock?: boolean }): Promise<ScimGroupRow | null> {
  const query = db
    .select(groupColumns)
    .from(entitlements)
    .where(and(eq(entitlements.id, args.id), groupVisible(args.applicationId)));
  const [row] = await (args.lock ? query.for("no key update") : query);
  return (row as ScimGroupRow | undefined) ?? null;
}

/** Entitlement names are unique per application, deleted groups included (they are renamed). */
export async function findGroupNameHolder(db: Executor, args: { applicationId: string; name: string; exceptId?: string }): Promise<string | null> {
  const [row] = await db
    .select({ id: entitlements.id })
    .from(entitlements)
    .where(and(eq(entitlements.applicationId, args.applicationId), eq(entitlements.name, args.name), args.exceptId ? sql`${entitlements.id} <> ${args.exceptId}::uuid` : undefined))
    .limit(1);
  return row?.id ?? null;
}

export async function insertScimGroup(tx: Executor, args: { applicationId: string; name: string; scimResource: Record<string, unknown>; at: Date }): Promise<ScimGroupRow> {
  const [row] = await tx
    .insert(entitlements)
    .values({ applicationId: args.applicationId, name: args.name, kind: "group", description: "Group provisioned over SCIM.", scimResource: args.scimResource, createdAt: args.at, updatedAt: args.at })
    .returning(groupColumns);
  return row as ScimGroupRow;
}

export async function updateScimGroup(tx: Executor, args: { id: string; values: { name?: SQL | string; scimResource?: Record<string, unknown> | null }; at: Date }): Promise<ScimGroupRow> {
  const [row] = await tx
    .update(entitlements)
    .set({ ...args.values, updatedAt: bump(entitlements.updatedAt, args.at) })
    .where(eq(entitlements.id, args.id))
    .returning(groupColumns);
  return row as ScimGroupRow;
}

/** Renames a group being deleted, so its name is free for a new group while the entitlement keeps its history. */
export const deletedGroupName = sql`${entitlements.name} || ' (deleted ' || left(${entitlements.id}::text, 8) || ')'`;

export async function listMembers(db: Executor, args: { entitlementIds: string[]; source: string }) {
  if (args.entitlementIds.length === 0) return [];
  return db
    .select({ entitlementId: grants.entitlementId, id: identities.id, displayName: identities.displayName })
    .from(grants)
    .innerJoin(identities, eq(identities.id, grants.identityId))
    .where(and(inArray(grants.entitlementId, args.entitlementIds), sql`${grants.status} in ${LIVE}`, userVisible(args.source)))
    .orderBy(asc(grants.entitlementId), asc(identities.id));
}

/** Standing grants from SCIM, seen live in the source; a member already holding one is left as is. */
export async function addMembers(tx: Executor, args: { entitlementId: string; identityIds: string[]; at: Date }): Promise<string[]> {
  if (args.identityIds.length === 0) return [];
  const rows = await tx
    .insert(grants)
    .values(
      args.identityIds.map((identityId) => ({
        identityId,
        entitlementId: args.entitlementId,
        kind: "standing" as const,
        status: "active" as const,
        source: "scim" as const,
        grantedAt: args.at,
        liveState: "present" as const,
        liveCheckedAt: args.at,
        createdAt: args.at,
        updatedAt: args.at,
      })),
    )
    .onConflictDoNothing()
    .returning({ identityId: grants.identityId });
  return rows.map((r) => r.identityId);
}

/**
 * Ends grants (revoked, ended_at, seen absent): of one group (`entitlementId`) or of one
 * member across the source's groups (`identityId` + `applicationId`). Only grants of the
 * source's own Users are touched. `members` narrows to ids or to a condition on member `m`.
 */
export async function endMemberships(
  tx: Executor,
  args: { source: string; at: Date; entitlementId?: string; identityId?: string; applicationId?: string; members?: string[] | SQL },
): Promise<{ entitlementId: string; identityId: string }[]> {
  if (Array.isArray(args.members) && args.members.length === 0) return [];
  const memberCondition = args.members === undefined ? sql`true` : Array.isArray(args.members) ? sql`m.id in ${args.members}` : args.members;
  return tx
    .update(grants)
    .set({ status: "revoked", endedAt: args.at, liveState: "absent", liveCheckedAt: args.at, updatedAt: args.at })
    .where(
      and(
        sql`${grants.status} in ${LIVE}`,
        args.entitlementId ? eq(grants.entitlementId, args.entitlementId) : undefined,
        args.identityId ? eq(grants.identityId, args.identityId) : undefined,
        args.applicationId ? sql`${grants.entitlementId} in (select id from entitlements where application_id = ${args.applicationId} and kind = 'group')` : undefined,
        sql`${grants.identityId} in (select m.id from identities m where m.source = ${args.source} and m.scim_resource is not null and ${memberCondition})`,
      ),
    )
    .returning({ entitlementId: grants.entitlementId, identityId: grants.identityId });
}

/** A membership change is a change of the group: its version moves. */
export async function touchGroups(tx: Executor, args: { ids: string[]; at: Date }): Promise<void> {
  if (args.ids.length === 0) return;
  await tx
    .update(entitlements)
    .set({ updatedAt: bump(entitlements.updatedAt, args.at) })
    .where(inArray(entitlements.id, args.ids));
}

/** Locks, in id order, the source's groups a User is a member of (before their grants are ended). */
export async function lockGroupsOfMember(tx: Executor, args: { applicationId: string; identityId: string }): Promise<string[]> {
  const rows = await tx
    .select({ id: entitlements.id })
    .from(entitlements)
    .where(
      and(
        eq(entitlements.applicationId, args.applicationId),
        sql`${entitlements.id} in (select g.entitlement_id from grants g where g.identity_id = ${args.identityId}::uuid and g.status in ${LIVE})`,
      ),
    )
    .orderBy(asc(entitlements.id))
    .for("no key update");
  return rows.map((r) => r.id);
}
