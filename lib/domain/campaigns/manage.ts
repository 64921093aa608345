import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { applicationOwners, campaigns } from "@/db/schema";
import { Forbidden, NotFound } from "@/lib/errors";
import type { Actor } from "@/lib/domain/access/actor";
import { mayAdminister, mayChangeAnything, seesEverything } from "@/lib/domain/access/rules";
import type { CampaignScope } from "./campaign-scope";

export type Campaign = typeof campaigns.$inferSelect;

/**
 * Admins run any campaign; an application owner runs campaigns over applications they own
 * (every application in the scope must be theirs), and manages the ones they created.
 */
export async function assertMayRunScope(tx: Executor, actor: Actor, scope: CampaignScope): Promise<void> {
  if (!mayChangeAnything(actor)) throw new Forbidden("Auditors cannot run campaigns.");
  if (mayAdminister(actor)) return;
  if (scope.applicationIds.length === 0) throw new Forbidden("Application owners choose which of their applications to review.");
  const owned = await tx
    .select({ id: applicationOwners.applicationId })
    .from(applicationOwners)
    .where(and(eq(applicationOwners.identityId, actor.id), inArray(applicationOwners.applicationId, scope.applicationIds)));
  if (owned.length !== new Set(scope.applicationIds).size) throw new Forbidden("You can only review applications you own.");
}

/** The campaign, locked for the caller's transaction, if the actor may manage it. */
export async function campaignToManage(tx: Executor, actor: Actor, campaignId: string): Promise<Campaign> {
  // Not a key update, so review items' queue-count rows (whose foreign key takes KEY SHARE) never wait on it.
  const [campaign] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId)).for("no key update");
  // Someone who may not see the campaign learns nothing, not even that it exists.
  if (!campaign || (!seesEverything(actor) && campaign.createdById !== actor.id)) throw new NotFound("That campaign");
  if (!mayChangeAnything(actor)) throw new Forbidden("Auditors cannot change campaigns.");
  if (!mayAdminister(actor) && campaign.createdById !== actor.id) throw new Forbidden("Only the campaign's owner or an admin can do that.");
  return campaign;
}
