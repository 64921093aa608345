import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { accounts, applications, authSessions, credentials, entitlements, grants, identities, identityRoles, lifecycleEvents, privilegedSessions } from "@/db/schema";
import { decodeCursor, toPage } from "./cursor";
import { latestRevocationStatus } from "./revocations";
import { identityVisible, scopeKeys, uuidList, type Scope } from "./scope";

export type IdentityCategory = "human" | "non_human" | "third_party";

export interface IdentityFilters {
  category?: IdentityCategory;
  status?: "active" | "suspended" | "leaver";
  department?: string;
  ownerId?: string;
  q?: string;
  cursor?: string | null;
  limit?: number;
}

const manager = alias(identities, "manager");
const owner = alias(identities, "owner");

function categoryCondition(category: IdentityCategory): SQL {
  if (category === "non_human") return eq(identities.kind, "non_human");
  if (category === "third_party") return eq(identities.type, "third_party");
  return and(eq(identities.kind, "human"), sql`${identities.type} <> 'third_party'`)!;
}

export async function listIdentities(db: Executor, args: { scope: Scope; filters: IdentityFilters }) {
  const { filters } = args;
  const limit = Math.min(filters.limit ?? 50, 200);
  const after = decodeCursor(filters.cursor);
  const search = filters.q?.trim();
  const where = and(
    filters.category ? categoryCondition(filters.category) : undefined,
    filters.status ? eq(identities.status, filters.status) : undefined,
    filters.department ? eq(identities.department, filters.department) : undefined,
    filters.ownerId ? eq(identities.ownerId, filters.ownerId) : undefined,
    search ? or(ilike(identities.displayName, `%${escapeLike(search)}%`), ilike(identities.email, `%${escapeLike(search)}%`)) : undefined,
    after ? sql`(${identities.displayName}, ${identities.id}) > (${String(after[0])}, ${String(after[1])}::uuid)` : undefined,
  );
  // A search of three characters or more is answered from the trigram indexes, then sorted:
  // walking identities in display order met the matches late when they share a prefix ("svc-").
  const fetchThenSort = (search?.length ?? 0) >= 3;
  const keys = scopeKeys(args.scope);
  const rows = await db
    .select({
      id: identities.id,
      displayName: identities.displayName,
      email: identities.email,
      kind: identities.kind,
      type: identities.type,
      status: identities.status,
      department: identities.department,
      title: identities.title,
      organization: identities.organization,
      managerId: identities.managerId,
      managerName: manager.displayName,
      ownerId: identities.ownerId,
      ownerName: owner.displayName,
      ownerStatus: owner.status,
      activeGrants: sql<number>`(select count(*)::int from grants g where g.identity_id = ${identities.id} and g.status = 'active')`,
    })
    .from(identities)
    .leftJoin(manager, eq(manager.id, identities.managerId))
    .leftJoin(owner, eq(owner.id, identities.ownerId))
    .where(keys ? sql`${identities.id} = any(array(${firstVisibleIdentityIds(keys, where, fetchThenSort, limit + 1)}))` : and(identityVisible(args.scope, identities.id), where))
    .orderBy(!keys && fetchThenSort ? sql`${identities.displayName} || ''` : asc(identities.displayName), asc(identities.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => [row.displayName, row.id]);
}

/** Holders of live access to these entitlements, as a query of one column "id" (duplicates included). */
const holdersOf = (entitlementIds: string[]) => sql`select g.identity_id from grants g where g.entitlement_id = any(${uuidList(entitlementIds)}) and g.status in ('active', 'pending_revocation')`;

/**
 * Ids of the first `limit` identities in display order meeting `where` among those the scope
 * keys make visible. The people in scope, and the holders of what the actor owns when few, are
 * looked up one by one and sorted; when an owner's holders are many they are met walking
 * identities in display order, one index probe each. One plan for both misled the planner
 * either way: a manager (a thousand people, a thousand holders) walked 68,000 identities; an app
 * owner (68,000 holders) hashed every holder before returning the first row.
 */
function firstVisibleIdentityIds(keys: NonNullable<ReturnType<typeof scopeKeys>>, where: SQL | undefined, fetchThenSort: boolean, limit: number): SQL {
  const and_ = where ? sql` and ${where}` : sql``;
  // One primary-key probe per id (the lateral "limit 1" keeps the planner from turning it into a
  // join): given a thousand ids, it preferred reading every identity.
  const lookUp = (ids: SQL) => sql`(select i.id, i.display_name from (select distinct k.id from (${ids}) k(id)) k cross join lateral (
      select ${identities.id}, ${identities.displayName} from ${identities} where ${identities.id} = k.id${and_} limit 1) i
    order by i.display_name, i.id limit ${limit})`;
  const branches = [lookUp(sql`select unnest(${uuidList(keys.identityIds)})`)];
  if (keys.entitlementIds.length > 0 && !keys.manyOwnedGrants) branches.push(lookUp(holdersOf(keys.entitlementIds)));
  if (keys.manyOwnedGrants) {
    branches.push(sql`(select ${identities.id}, ${identities.displayName} from ${identities}
      where ${identities.id} in (${holdersOf(keys.entitlementIds)})${and_}
      order by ${fetchThenSort ? sql`${identities.displayName} || ''` : identities.displayName}, ${identities.id} limit ${limit})`);
  }
  return sql`select c.id from (${sql.join(branches, sql` union `)}) c order by c.display_name, c.id limit ${limit}`;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Every department, one index probe per department (tens of them) instead of reading every identity. */
const ALL_DEPARTMENTS = sql`(with recursive d(department) as (
    (select department from identities where department is not null order by department limit 1)
    union all
    select (select i.department from identities i where i.department > d.department order by i.department limit 1) from d where d.department is not null
  ) select department from d where department is not null)`;

/**
 * The departments of the identities the actor may see, for the filter. When the scope is large
 * (more than 5,000 people, or more than 5,000 live grants of what the actor owns) every
 * department is offered: finding which departments such a scope leaves out means reading most
 * identities, and a department with nobody in scope merely filters to an empty list.
 */
export async function listDepartments(db: Executor, args: { scope: Scope }): Promise<string[]> {
  const keys = scopeKeys(args.scope);
  if (!keys || keys.manyOwnedGrants) {
    const rows = await db.execute<{ department: string }>(sql`select department from ${ALL_DEPARTMENTS} d order by 1`);
    return rows.map((r) => r.department);
  }
  const ids = keys.entitlementIds.length > 0 ? sql`select unnest(${uuidList(keys.identityIds)}) union ${holdersOf(keys.entitlementIds)}` : sql`select unnest(${uuidList(keys.identityIds)})`;
  const rows = await db.execute<{ department: string }>(sql`
    select distinct i.department from (${ids}) k(id) cross join lateral (select department from identities where id = k.id limit 1) i
    where i.department is not null order by 1`);
  return rows.map((r) => r.department);
}

export async function getIdentity(db: Executor, args: { identityId: string }) {
  const [row] = await db
    .select({
      id: identities.id,
      source: identities.source,
      externalId: identities.externalId,
      kind: identities.kind,
      type: identities.type,
      displayName: identities.displayName,
      email: identities.email,
      userName: identities.userName,
      status: identities.status,
      department: identities.department,
      title: identities.title,
      organization: identities.organization,
      description: identities.description,
      startedOn: identities.startedOn,
      leftAt: identities.leftAt,
      managerId: identities.managerId,
      managerName: manager.displayName,
      managerStatus: manager.status,
      ownerId: identities.ownerId,
      ownerName: owner.displayName,
      ownerStatus: owner.status,
      updatedAt: identities.updatedAt,
    })
    .from(identities)
    .leftJoin(manager, eq(manager.id, identities.managerId))
    .leftJoin(owner, eq(owner.id, identities.ownerId))
    .where(eq(identities.id, args.identityId));
  return row ?? null;
}

export async function listIdentityAccounts(db: Executor, args: { identityId: string }) {
  return db
    .select({
      id: accounts.id,
      username: accounts.username,
      status: accounts.status,
      lastLoginAt: accounts.lastLoginAt,
      applicationId: applications.id,
      applicationName: applications.name,
    })
    .from(accounts)
    .innerJoin(applications, eq(applications.id, accounts.applicationId))
    .where(eq(accounts.identityId, args.identityId))
    .orderBy(asc(applications.name));
}

export async function listIdentityGrants(db: Executor, args: { identityId: string }) {
  return db
    .select({
      id: grants.id,
      kind: grants.kind,
      status: grants.status,
      revocationStatus: latestRevocationStatus,
      source: grants.source,
      grantedAt: grants.grantedAt,
      expiresAt: grants.expiresAt,
      nextReviewDue: grants.nextReviewDue,
      liveState: grants.liveState,
      entitlementId: entitlements.id,
      entitlementName: entitlements.name,
      privileged: entitlements.privileged,
      breakGlass: entitlements.breakGlass,
      applicationId: applications.id,
      applicationName: applications.name,
      lastUsedAt: sql<Date | null>`(select max(s.started_at) from privileged_sessions s where s.grant_id = ${grants.id})`.mapWith((v) => (v ? new Date(v) : null)),
    })
    .from(grants)
    .innerJoin(entitlements, eq(entitlements.id, grants.entitlementId))
    .innerJoin(applications, eq(applications.id, entitlements.applicationId))
    .where(eq(grants.identityId, args.identityId))
    .orderBy(sql`${grants.status} = 'active' desc`, asc(applications.name), asc(entitlements.name));
}

export async function listIdentitySessions(db: Executor, args: { identityId: string; limit: number }) {
  return db
    .select({
      id: privilegedSessions.id,
      source: privilegedSessions.source,
      target: privilegedSessions.target,
      login: privilegedSessions.login,
      startedAt: privilegedSessions.startedAt,
      endedAt: privilegedSessions.endedAt,
      durationSeconds: privilegedSessions.durationSeconds,
      grantId: privilegedSessions.grantId,
      entitlementName: entitlements.name,
      applicationName: applications.name,
    })
    .from(privilegedSessions)
    .leftJoin(entitlements, eq(entitlements.id, privilegedSessions.entitlementId))
    .leftJoin(applications, eq(applications.id, privilegedSessions.applicationId))
    .where(eq(privilegedSessions.identityId, args.identityId))
    .orderBy(desc(privilegedSessions.startedAt))
    .limit(args.limit);
}

export async function listOwnedIdentities(db: Executor, args: { ownerId: string }) {
  return db
    .select({ id: identities.id, displayName: identities.displayName, type: identities.type, status: identities.status })
    .from(identities)
    .where(eq(identities.ownerId, args.ownerId))
    .orderBy(asc(identities.displayName));
}

export async function listReports(db: Executor, args: { managerId: string }) {
  return db
    .select({ id: identities.id, displayName: identities.displayName, title: identities.title, status: identities.status })
    .from(identities)
    .where(eq(identities.managerId, args.managerId))
    .orderBy(asc(identities.displayName));
}

export async function listCredentials(db: Executor, args: { identityId: string }) {
  return db
    .select({
      id: credentials.id,
      kind: credentials.kind,
      fingerprint: credentials.fingerprint,
      storedIn: credentials.storedIn,
      scopes: credentials.scopes,
      issuedAt: credentials.issuedAt,
      lastRotatedAt: credentials.lastRotatedAt,
      expiresAt: credentials.expiresAt,
      lastUsedAt: credentials.lastUsedAt,
    })
    .from(credentials)
    .where(eq(credentials.identityId, args.identityId))
    .orderBy(asc(credentials.issuedAt));
}

export async function listLifecycleEvents(db: Executor, args: { identityId: string }) {
  return db.select().from(lifecycleEvents).where(eq(lifecycleEvents.identityId, args.identityId)).orderBy(desc(lifecycleEvents.occurredAt)).limit(50);
}

/** Facts the permission rules need about one identity, in one round trip. */
export async function getIdentityFacts(db: Executor, args: { identityId: string; actorId: string }) {
  const rows = await db.execute<{ id: string; owner_id: string | null; manager_chain: string[] | null; holds_owned: boolean }>(sql`
    with recursive chain(id, manager_id, depth) as (
      select id, manager_id, 0 from identities where id = ${args.identityId}
      union all
      select i.id, i.manager_id, c.depth + 1 from identities i join chain c on i.id = c.manager_id where c.depth < 50
    )
    select i.id, i.owner_id,
      (select array_agg(c.manager_id order by c.depth) from chain c where c.manager_id is not null) as manager_chain,
      exists (
        select 1 from grants g join entitlements e on e.id = g.entitlement_id
        left join application_owners ao on ao.application_id = e.application_id and ao.identity_id = ${args.actorId}
        where g.identity_id = i.id and (e.owner_id = ${args.actorId} or ao.identity_id is not null)
      ) as holds_owned
    from identities i where i.id = ${args.identityId}`);
  const row = rows[0];
  if (!row) return null;
  return { id: row.id, ownerId: row.owner_id, managerChain: row.manager_chain ?? [], holdsAccessOwnedByActor: row.holds_owned };
}

export async function getIdentityStatus(db: Executor, args: { identityId: string }) {
  const [row] = await db.select({ status: identities.status, displayName: identities.displayName }).from(identities).where(eq(identities.id, args.identityId));
  return row ?? null;
}

export async function updateIdentityStatus(db: Executor, args: { identityId: string; status: "active" | "suspended" | "leaver"; at: Date }) {
  await db
    .update(identities)
    .set({ status: args.status, updatedAt: args.at, leftAt: args.status === "leaver" ? args.at : null })
    .where(eq(identities.id, args.identityId));
}

export async function insertLifecycleEvent(db: Executor, args: typeof lifecycleEvents.$inferInsert) {
  await db.insert(lifecycleEvents).values(args);
}

export async function deleteSessionsOf(db: Executor, args: { identityId: string }): Promise<number> {
  const deleted = await db.delete(authSessions).where(eq(authSessions.identityId, args.identityId)).returning({ t: authSessions.tokenHash });
  return deleted.length;
}

export async function listRoles(db: Executor, args: { identityIds: string[] }) {
  if (args.identityIds.length === 0) return [];
  return db.select({ identityId: identityRoles.identityId, role: identityRoles.role }).from(identityRoles).where(inArray(identityRoles.identityId, args.identityIds));
}

export async function insertRole(db: Executor, args: { identityId: string; role: "admin" | "auditor"; grantedById: string; at: Date }) {
  const rows = await db.insert(identityRoles).values({ identityId: args.identityId, role: args.role, grantedById: args.grantedById, grantedAt: args.at }).onConflictDoNothing().returning();
  return rows.length > 0;
}

export async function deleteRole(db: Executor, args: { identityId: string; role: "admin" | "auditor" }) {
  const rows = await db
    .delete(identityRoles)
    .where(and(eq(identityRoles.identityId, args.identityId), eq(identityRoles.role, args.role)))
    .returning();
  return rows.length > 0;
}

/**
 * The identities in scope as one set, people and holders together, for counting: the same set as
 * identityVisible, without probing the grants once per identity or hashing what they hold per row.
 */
function visibleIdentities(scope: Scope): SQL | undefined {
  const keys = scopeKeys(scope);
  if (!keys) return identityVisible(scope, identities.id);
  const people = sql`select unnest(${uuidList(keys.identityIds)})`;
  return sql`${identities.id} in (${keys.entitlementIds.length > 0 ? sql`${people} union ${holdersOf(keys.entitlementIds)}` : people})`;
}

export async function countIdentitiesInScope(db: Executor, args: { scope: Scope }) {
  const [row] = await db
    .select({
      total: sql<number>`count(*)::int`,
      nonHuman: sql<number>`count(*) filter (where ${identities.kind} = 'non_human')::int`,
      leavers: sql<number>`count(*) filter (where ${identities.status} = 'leaver')::int`,
    })
    .from(identities)
    .where(visibleIdentities(args.scope));
  return row ?? { total: 0, nonHuman: 0, leavers: 0 };
}
