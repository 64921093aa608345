import { z } from "zod";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { campaigns, reviewItems } from "@/db/schema";
import { Invalid } from "@/lib/errors";
import { auditActor, SYSTEM_ACTOR, type Actor } from "@/lib/domain/access/actor";
import { recordAudit, type AuditActor } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { requestRevocation } from "@/lib/domain/revocations/request-revocation";
import { applyRemoval } from "./apply-removal";
import { publishEvent } from "@/lib/domain/webhooks/publish";
import { campaignToManage, type Campaign } from "./manage";

const DAY = 86_400_000;
/** "Extend once" gives reviewers this many more days, once. */
export const EXTEND_ONCE_DAYS = 7;

export const campaignIdInput = z.object({ campaignId: z.uuid() });
export const extendCampaignInput = z.object({ campaignId: z.uuid(), days: z.coerce.number().int().min(1).max(90) });

export async function closeCampaign(deps: Deps, actor: Actor, input: z.infer<typeof campaignIdInput>) {
  return deps.db.transaction(async (tx) => {
    const campaign = await campaignToManage(tx, actor, input.campaignId);
    if (campaign.status !== "active" || campaign.adHoc) throw new Invalid("Only an open campaign can be closed.");
    return closeNow(deps, tx, campaign, auditActor(actor), { allowExtension: false });
  });
}

/** Gives reviewers more time: the campaign's and its open items' due dates move together. */
export async function extendCampaign(deps: Deps, actor: Actor, input: z.infer<typeof extendCampaignInput>) {
  return deps.db.transaction(async (tx) => {
    const campaign = await campaignToManage(tx, actor, input.campaignId);
    if (campaign.status !== "active" || campaign.adHoc || !campaign.dueAt) throw new Invalid("Only an open campaign with a due date can be extended.");
    const at = deps.now();
    const dueAt = await moveDueDate(tx, campaign, input.days);
    await recordAudit(tx, { actor: auditActor(actor), action: "campaign.extended", entityType: "campaign", entityId: campaign.id, before: { dueAt: campaign.dueAt }, after: { dueAt }, at });
    return { dueAt };
  });
}

async function moveDueDate(tx: Executor, campaign: Campaign, days: number): Promise<Date> {
  const dueAt = new Date(campaign.dueAt!.getTime() + days * DAY);
  await tx.update(campaigns).set({ dueAt }).where(eq(campaigns.id, campaign.id));
  await tx
    .update(reviewItems)
    .set({ dueAt: sql`${reviewItems.dueAt} + make_interval(days => ${days})`, escalatedAt: null })
    .where(and(eq(reviewItems.campaignId, campaign.id), eq(reviewItems.status, "pending")));
  return dueAt;
}

/**
 * Closes a campaign and applies its policy to items nobody decided: revoke them, keep them and
 * flag the grants as due for review again, or (once) give reviewers another week.
 */
export async function closeNow(deps: Deps, tx: Executor, campaign: Campaign, actor: AuditActor, options: { allowExtension: boolean }) {
  // Closes touch grants that other campaigns share; one close at a time keeps two from deadlocking.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('accord.campaign-close'))`);
  const at = deps.now();
  if (options.allowExtension && campaign.closePolicy === "extend_once" && !campaign.extendedAt && campaign.dueAt) {
    const dueAt = await moveDueDate(tx, campaign, EXTEND_ONCE_DAYS);
    await tx.update(campaigns).set({ extendedAt: at }).where(eq(campaigns.id, campaign.id));
    await recordAudit(tx, { actor, action: "campaign.extended", entityType: "campaign", entityId: campaign.id, before: { dueAt: campaign.dueAt }, after: { dueAt, policy: "extend_once" }, at });
    return { closed: false as const, dueAt };
  }

  // Decisions kept as drafts until now take effect first.
  const drafts = await tx
    .select({
      id: reviewItems.id,
      grantId: reviewItems.grantId,
      decision: reviewItems.decision,
      comment: reviewItems.comment,
      reduceTo: reviewItems.reduceTo,
      reduceExpiresAt: reviewItems.reduceExpiresAt,
    })
    .from(reviewItems)
    .where(and(eq(reviewItems.campaignId, campaign.id), eq(reviewItems.status, "decided"), isNull(reviewItems.revocationId), inArray(reviewItems.decision, ["revoke", "reduce"])));
  for (const item of drafts) await applyRemoval(deps, tx, item, actor);

  const undecided = await tx
    .select({ id: reviewItems.id, grantId: reviewItems.grantId })
    .from(reviewItems)
    .where(and(eq(reviewItems.campaignId, campaign.id), eq(reviewItems.status, "pending")));
  if (campaign.closePolicy === "revoke") {
    for (const item of undecided) {
      if (!item.grantId) continue;
      const { revocationId } = await requestRevocation(deps, tx, {
        grantId: item.grantId,
        cause: "review",
        causeRef: item.id,
        actor: SYSTEM_ACTOR,
        reason: "Not decided before the campaign closed; the campaign's policy revokes undecided access.",
      });
      await tx.update(reviewItems).set({ decision: "revoke", decidedAt: at, revocationId, comment: "Undecided at close: revoked by the campaign's policy." }).where(eq(reviewItems.id, item.id));
    }
  } else {
    // Keep and flag: the access stays, but its grant is due for review again at once.
    await tx.execute(sql`
      update grants set next_review_due = ${at.toISOString()}::timestamptz, updated_at = ${at.toISOString()}::timestamptz
      where id in (select grant_id from review_items where campaign_id = ${campaign.id} and status = 'pending' and grant_id is not null)`);
    await tx
      .update(reviewItems)
      .set({ comment: "Undecided at close: kept, and flagged as due for review." })
      .where(and(eq(reviewItems.campaignId, campaign.id), eq(reviewItems.status, "pending")));
  }
  await tx
    .update(reviewItems)
    .set({ status: "closed", version: sql`${reviewItems.version} + 1` })
    .where(eq(reviewItems.campaignId, campaign.id));
  await tx.update(campaigns).set({ status: "closed", closedAt: at }).where(eq(campaigns.id, campaign.id));
  const summary = { removalsApplied: drafts.length, undecided: undecided.length, policy: campaign.closePolicy };
  await recordAudit(tx, { actor, action: "campaign.closed", entityType: "campaign", entityId: campaign.id, after: summary, at });
  await publishEvent(deps, tx, { type: "campaign.closed", data: { campaignId: campaign.id, name: campaign.name, ...summary }, at });
  return { closed: true as const, ...summary };
}
