import { sql, type SQL, type AnyColumn } from "drizzle-orm";

/**
 * Scoping as SQL, so lists are filtered in the WHERE clause and never after the fetch.
 * Mirrors lib/domain/access/rules.ts: a person sees themselves, everyone below them in the
 * management chain, the non-human identities those people own, and who holds access to the
 * applications and entitlements they own.
 */
export interface Scope {
  actorId: string;
  everything: boolean;
}

/** Identity ids in the actor's people scope: self, reports (transitively), NHIs they or their reports own. */
export function peopleInScope(actorId: string): SQL {
  return sql`(
    with recursive reports(id) as (
      select id from identities where manager_id = ${actorId}
      union
      select i.id from identities i join reports r on i.manager_id = r.id
    )
    select id from reports
    union all select ${actorId}::uuid
    union all select id from identities where owner_id = ${actorId} or owner_id in (select id from reports)
  )`;
}

/** Entitlement ids the actor owns, directly or through owning the application. */
export function ownedEntitlements(actorId: string): SQL {
  return sql`(
    select id from entitlements where owner_id = ${actorId}
    union all
    select e.id from entitlements e join application_owners ao on ao.application_id = e.application_id where ao.identity_id = ${actorId}
  )`;
}

export function identityVisible(scope: Scope, identityId: AnyColumn | SQL): SQL | undefined {
  if (scope.everything) return undefined;
  return sql`(${identityId} in ${peopleInScope(scope.actorId)} or ${identityId} in (
    select g.identity_id from grants g where g.entitlement_id in ${ownedEntitlements(scope.actorId)}
  ))`;
}

export function grantVisible(scope: Scope, grant: { identityId: AnyColumn; entitlementId: AnyColumn }): SQL | undefined {
  if (scope.everything) return undefined;
  return sql`(${grant.identityId} in ${peopleInScope(scope.actorId)} or ${grant.entitlementId} in ${ownedEntitlements(scope.actorId)})`;
}

/** For machine clients with an organisation-wide scope (evidence:read tokens). */
export const EVERYTHING: Scope = { actorId: "00000000-0000-0000-0000-000000000000", everything: true };
