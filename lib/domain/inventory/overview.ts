import { countGrantsInScope } from "@/db/queries/grants";
import { countIdentitiesInScope, listIdentityGrants } from "@/db/queries/identities";
import type { Actor } from "@/lib/domain/access/actor";
import { scopeOf } from "@/lib/domain/access/scope";
import type { Deps } from "@/lib/domain/deps";

/** The first screen: what the actor holds, and the size of what they are responsible for. */
export async function getOverview(deps: Deps, actor: Actor) {
  const scope = await scopeOf(deps.db, actor);
  const [myGrants, identities, grants] = await Promise.all([listIdentityGrants(deps.db, { identityId: actor.id }), countIdentitiesInScope(deps.db, { scope }), countGrantsInScope(deps.db, { scope })]);
  return { myGrants: myGrants.filter((g) => g.status === "active" || g.status === "pending_revocation"), identities, grants, asOf: deps.now() };
}
