import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { insertReviewItems } from "@/db/queries/campaign-launch";
import { campaigns, identityRoles, reviewItems } from "@/db/schema";
import type { Deps } from "@/lib/domain/deps";
import { notify } from "@/lib/domain/notifications/notify";

const AD_HOC = {
  break_glass: { name: "Break-glass use reviews", description: "Every break-glass activation is reviewed after use by someone other than its user." },
  finding: { name: "Finding reviews", description: "Review items opened from drift findings." },
} as const;

export interface AdHocReview {
  grantId: string;
  reason: string;
  source: keyof typeof AD_HOC;
  /** The activation or finding this review is about; one item per source and ref. */
  sourceRef: string;
  /** Who must not review it besides the holder (whoever used or raised it). */
  excludeIds: string[];
  dueAt: Date;
}

/**
 * A one-off review item outside any scheduled campaign: the post-use review of a break-glass
 * activation, or a review opened from a finding. Items live in a standing ad-hoc campaign per
 * source, reviewed by the application's owner (fallback: an admin), with the same evidence
 * snapshot as campaign items. Call it inside the transaction of its cause.
 */
export async function openAdHocReview(deps: Deps, tx: Executor, input: AdHocReview): Promise<{ reviewItemId: string }> {
  const at = deps.now();
  const campaign = await adHocCampaign(tx, input.source, at);
  const subjectKey = `${input.source}:${input.sourceRef}`;
  const inserted = await insertReviewItems(tx, {
    campaignId: campaign.id,
    stage: 1,
    rule: "app_owner",
    namedReviewerIds: [],
    fallbackId: campaign.fallbackReviewerId,
    ownerId: null,
    excludeIds: input.excludeIds,
    windowDays: campaign.windowDays,
    dueAt: input.dueAt,
    at,
    items: [{ grantId: input.grantId, subjectKey, origin: { source: input.source, sourceRef: input.sourceRef, reason: input.reason } }],
  });
  const [item] = await tx
    .select({ id: reviewItems.id, reviewerId: reviewItems.reviewerId })
    .from(reviewItems)
    .where(and(eq(reviewItems.campaignId, campaign.id), eq(reviewItems.subjectKey, subjectKey), eq(reviewItems.stage, 1)));
  if (inserted > 0) {
    await tx
      .update(campaigns)
      .set({ itemCount: sql`${campaigns.itemCount} + 1` })
      .where(eq(campaigns.id, campaign.id));
    await notify(tx, {
      recipientIds: item!.reviewerId ? [item!.reviewerId] : [],
      kind: "review.ad_hoc",
      subject: AD_HOC[input.source].name,
      body: input.reason,
      link: `/reviews/${item!.id}`,
      dedupeKey: `review.ad_hoc:${item!.id}`,
      at,
    });
  }
  return { reviewItemId: item!.id };
}

async function adHocCampaign(tx: Executor, source: keyof typeof AD_HOC, at: Date) {
  const { name, description } = AD_HOC[source];
  // Two first break-glass uses at once must not create two standing campaigns.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`accord.adhoc.${source}`}))`);
  const [existing] = await tx
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.adHoc, true), eq(campaigns.name, name)));
  if (existing) return existing;
  const [admin] = await tx.select({ id: identityRoles.identityId }).from(identityRoles).where(eq(identityRoles.role, "admin")).orderBy(identityRoles.grantedAt).limit(1);
  const [created] = await tx
    .insert(campaigns)
    .values({
      name,
      description,
      scope: {},
      reviewerRule: "app_owner",
      fallbackReviewerId: admin?.id ?? null,
      status: "active",
      adHoc: true,
      closePolicy: "keep_and_flag",
      startsAt: at,
      launchedAt: at,
      createdAt: at,
    })
    .returning();
  return created!;
}
