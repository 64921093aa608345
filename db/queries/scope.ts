import { sql, type SQL, type AnyColumn } from "drizzle-orm";
import type { Executor } from "@/db/client";

/**
 * Scoping as SQL, so lists are filtered in the WHERE clause and never after the fetch.
 * Mirrors lib/domain/access/rules.ts: a person sees themselves, everyone below them in the
 * management chain, the non-human identities those people own, and who holds access to the
 * applications and entitlements they own.
 *
 * The scope is resolved to id lists first (one small query) so the planner knows how few rows
 * qualify and drives lists from the grant and identity indexes: with a subquery it guessed, and
 * walked all 2 million grants to find an employee's twenty.
 */
export type Scope =
  | { everything: true }
  | {
      everything: false;
      actorId: string;
      /** Identities in the actor's people scope; null when too many to pass as a list. */
      people: string[] | null;
      /** Entitlements the actor owns, directly or through owning the application. */
      ownedEntitlementIds: string[];
      /**
       * Live grants of those entitlements, counted up to MANY_OWNED_GRANTS + 1: whether their
       * holders are few enough to fetch, or common enough to meet walking all identities.
       */
      ownedLiveGrants: number;
    };

export const EVERYTHING: Scope = { everything: true };

const MAX_LISTED_PEOPLE = 5_000;
export const MANY_OWNED_GRANTS = 5_000;

/**
 * Self, reports (transitively), and the NHIs owned by any of them, as a subquery. The owned NHIs
 * are looked up by owner through the index, one probe per person: joined to the reports, the
 * planner expected thousands of reports and hashed every identity (30 to 50 ms for each list).
 */
function peopleSubquery(actorId: string): SQL {
  return sql`(
    with recursive reports(id) as (
      select id from identities where manager_id = ${actorId}
      union
      select i.id from identities i join reports r on i.manager_id = r.id
    )
    select id from reports
    union all select ${actorId}::uuid
    union all select id from identities where owner_id = any(array(select id from reports union all select ${actorId}::uuid))
  )`;
}

export async function resolveScope(db: Executor, args: { actorId: string; everything: boolean }): Promise<Scope> {
  if (args.everything) return EVERYTHING;
  const [people, [owned]] = await Promise.all([
    db.execute<{ id: string }>(sql`select id from ${peopleSubquery(args.actorId)} p limit ${MAX_LISTED_PEOPLE + 1}`),
    db.execute<{ ids: string[]; live_grants: number }>(sql`
      with owned as (
        select id from entitlements where owner_id = ${args.actorId}
        union
        select e.id from entitlements e join application_owners ao on ao.application_id = e.application_id where ao.identity_id = ${args.actorId}
      )
      select array(select id from owned) as ids, (
        select count(*)::int from (
          select 1 from grants g where g.entitlement_id in (select id from owned) and g.status in ('active', 'pending_revocation') limit ${MANY_OWNED_GRANTS + 1}
        ) live
      ) as live_grants`),
  ]);
  return {
    everything: false,
    actorId: args.actorId,
    people: people.length > MAX_LISTED_PEOPLE ? null : [...new Set(people.map((p) => p.id))],
    ownedEntitlementIds: owned?.ids ?? [],
    ownedLiveGrants: owned?.live_grants ?? 0,
  };
}

/** A uuid[] parameter, so the planner sees a list of known length. */
export function uuidList(ids: string[]): SQL {
  return sql`${`{${ids.join(",")}}`}::uuid[]`;
}

function inPeople(scope: Extract<Scope, { everything: false }>, column: AnyColumn | SQL): SQL {
  return scope.people ? sql`${column} = any(${uuidList(scope.people)})` : sql`${column} in ${peopleSubquery(scope.actorId)}`;
}

export function identityVisible(scope: Scope, identityId: AnyColumn | SQL): SQL | undefined {
  if (scope.everything) return undefined;
  if (scope.ownedEntitlementIds.length === 0) return inPeople(scope, identityId);
  // Owners see who holds live access to what they own. The status condition lets the probe use
  // the (identity, entitlement, kind) index of live grants without touching the table.
  return sql`(${inPeople(scope, identityId)} or exists (
    select 1 from grants g where g.identity_id = ${identityId} and g.status in ('active', 'pending_revocation')
      and g.entitlement_id = any(${uuidList(scope.ownedEntitlementIds)})
  ))`;
}

export function grantVisible(scope: Scope, grant: { identityId: AnyColumn; entitlementId: AnyColumn }): SQL | undefined {
  if (scope.everything) return undefined;
  if (scope.ownedEntitlementIds.length === 0) return inPeople(scope, grant.identityId);
  return sql`(${inPeople(scope, grant.identityId)} or ${grant.entitlementId} = any(${uuidList(scope.ownedEntitlementIds)}))`;
}

/**
 * Findings: someone sees those about the people in their scope (themselves, their reports and
 * what those own), those they are the owner of, and those about an application or entitlement
 * they own. Not, unlike grants, findings about other access of the people holding what they own.
 */
export function findingVisible(scope: Scope, finding: { identityId: AnyColumn; ownerId: AnyColumn; applicationId: AnyColumn; entitlementId: AnyColumn }): SQL | undefined {
  if (scope.everything) return undefined;
  return sql`(${inPeople(scope, finding.identityId)} or ${finding.ownerId} = ${scope.actorId}
    or ${finding.applicationId} in (select application_id from application_owners where identity_id = ${scope.actorId})
    or ${finding.entitlementId} = any(${uuidList(scope.ownedEntitlementIds)}))`;
}

/**
 * What a scoped list can start from: every grant the scope shows is held by one of these people
 * or is to one of these entitlements, and every identity it shows is one of these people or holds
 * live access to one of these entitlements. Lists start from each key through its index rather
 * than walk everything in display order hoping to meet them (for an app owner a tenth of all
 * grants qualify, for a manager half a percent: no single plan suits both). Null when the scope
 * is everything, or too many people to list.
 */
export function scopeKeys(scope: Scope): { identityIds: string[]; entitlementIds: string[]; manyOwnedGrants: boolean } | null {
  if (scope.everything || scope.people === null) return null;
  return { identityIds: scope.people, entitlementIds: scope.ownedEntitlementIds, manyOwnedGrants: scope.ownedLiveGrants > MANY_OWNED_GRANTS };
}

/**
 * True when the scope is a known, small set of people: lists should then fetch those people's
 * rows through their indexes and sort them, rather than walk a whole table in display order
 * hoping to meet them (which the planner, misled by averages, otherwise chooses).
 */
export function isNarrow(scope: Scope): boolean {
  return !scope.everything && scope.people !== null && scope.ownedEntitlementIds.length === 0;
}

/**
 * Sessions and usage events, scoped like grants: the people in scope, plus everything that
 * happened in what the actor owns, including events nobody could be matched to (an owner
 * must see the orphan accounts in their application).
 */
export function evidenceVisible(scope: Scope, row: { identityId: AnyColumn; entitlementId: AnyColumn; applicationId: AnyColumn }): SQL | undefined {
  if (scope.everything) return undefined;
  if (scope.ownedEntitlementIds.length === 0) return inPeople(scope, row.identityId);
  return sql`(${inPeople(scope, row.identityId)} or ${row.entitlementId} = any(${uuidList(scope.ownedEntitlementIds)})
    or ${row.applicationId} in (select application_id from application_owners where identity_id = ${scope.actorId}))`;
}
