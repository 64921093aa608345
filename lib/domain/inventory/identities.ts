import { z } from "zod";
import {
  getIdentity,
  getIdentityFacts,
  listCredentials,
  listDepartments,
  listIdentities,
  listIdentityAccounts,
  listIdentityGrants,
  listIdentitySessions,
  listLifecycleEvents,
  listOwnedIdentities,
  listReports,
  listRoles,
} from "@/db/queries/identities";
import { NotFound } from "@/lib/errors";
import type { Actor } from "@/lib/domain/access/actor";
import { canViewIdentity, mayAdminister } from "@/lib/domain/access/rules";
import { scopeOf } from "@/lib/domain/access/scope";
import type { Deps } from "@/lib/domain/deps";

export const identityFiltersSchema = z.object({
  category: z.enum(["human", "non_human", "third_party"]).optional().catch(undefined),
  status: z.enum(["active", "suspended", "leaver"]).optional().catch(undefined),
  department: z.string().trim().min(1).max(100).optional().catch(undefined),
  ownerId: z.uuid().optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  cursor: z.string().max(500).optional().catch(undefined),
});
export type IdentityFilterInput = z.infer<typeof identityFiltersSchema>;

export async function browseIdentities(deps: Deps, actor: Actor, filters: IdentityFilterInput) {
  const scope = await scopeOf(deps.db, actor);
  const [page, departments] = await Promise.all([listIdentities(deps.db, { scope, filters }), listDepartments(deps.db, { scope })]);
  return { ...page, departments };
}

/**
 * One identity with everything the inventory shows about it. An identity outside the actor's
 * scope is reported as not found, so probing ids reveals nothing.
 */
export async function getIdentityProfile(deps: Deps, actor: Actor, identityId: string) {
  if (!z.uuid().safeParse(identityId).success) throw new NotFound("That identity");
  const facts = await getIdentityFacts(deps.db, { identityId, actorId: actor.id });
  if (!facts || !canViewIdentity(actor, facts)) throw new NotFound("That identity");
  const [identity, accounts, grants, sessions, owned, reports, credentials, lifecycle, roles] = await Promise.all([
    getIdentity(deps.db, { identityId }),
    listIdentityAccounts(deps.db, { identityId }),
    listIdentityGrants(deps.db, { identityId }),
    listIdentitySessions(deps.db, { identityId, limit: 20 }),
    listOwnedIdentities(deps.db, { ownerId: identityId }),
    listReports(deps.db, { managerId: identityId }),
    listCredentials(deps.db, { identityId }),
    listLifecycleEvents(deps.db, { identityId }),
    listRoles(deps.db, { identityIds: [identityId] }),
  ]);
  if (!identity) throw new NotFound("That identity");
  return {
    identity,
    accounts,
    grants,
    sessions,
    owned,
    reports,
    credentials,
    lifecycle,
    roles: roles.map((r) => r.role),
    viewer: { canAdminister: mayAdminister(actor) && identity.id !== actor.id, now: deps.now() },
  };
}
