import { z } from "zod";
import { getApplication, listApplicationOwners, listApplications, listEntitlements } from "@/db/queries/applications";
import { listGrants } from "@/db/queries/grants";
import { NotFound } from "@/lib/errors";
import type { Actor } from "@/lib/domain/access/actor";
import { canManageEntitlement, isAdmin, seesEverything } from "@/lib/domain/access/rules";
import { scopeOf } from "@/lib/domain/access/scope";
import type { Deps } from "@/lib/domain/deps";

export const applicationFiltersSchema = z.object({
  mine: z.enum(["1"]).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  cursor: z.string().max(500).optional().catch(undefined),
});

export async function browseApplications(deps: Deps, actor: Actor, filters: z.infer<typeof applicationFiltersSchema>) {
  return listApplications(deps.db, { actorId: actor.id, ownedOnly: filters.mine === "1", q: filters.q, cursor: filters.cursor });
}

export const holderFiltersSchema = z.object({
  entitlementId: z.uuid().optional().catch(undefined),
  kind: z.enum(["standing", "time_bound", "eligible"]).optional().catch(undefined),
  cursor: z.string().max(500).optional().catch(undefined),
});

/** The catalogue entry is public to signed-in people; the holders list is scoped like every grant list. */
export async function getApplicationProfile(deps: Deps, actor: Actor, applicationId: string, holderFilters: z.infer<typeof holderFiltersSchema>) {
  if (!z.uuid().safeParse(applicationId).success) throw new NotFound("That application");
  const application = await getApplication(deps.db, { applicationId });
  if (!application) throw new NotFound("That application");
  const [owners, entitlements, holders] = await Promise.all([
    listApplicationOwners(deps.db, { applicationId }),
    listEntitlements(deps.db, { applicationId }),
    listGrants(deps.db, { scope: await scopeOf(deps.db, actor), filters: { ...holderFilters, applicationId, status: "active" } }),
  ]);
  const ownerIds = owners.map((o) => o.id);
  const isOwner = ownerIds.includes(actor.id);
  return {
    application,
    owners,
    entitlements: entitlements.map((e) => ({ ...e, canManage: canManageEntitlement(actor, { applicationOwnerIds: ownerIds, ownerId: e.ownerId }) })),
    holders,
    viewer: { isOwner, seesAllHolders: seesEverything(actor) || isOwner, isAdmin: isAdmin(actor) },
  };
}
