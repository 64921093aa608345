import { and, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { computeLaunchPeerStats, countInScope, insertReviewItems, nextScopeSlice } from "@/db/queries/campaign-launch";
import { campaigns, launchPeerStats, reviewItems } from "@/db/schema";
import { Invalid } from "@/lib/errors";
import { auditActor, SYSTEM_ACTOR, type Actor } from "@/lib/domain/access/actor";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { notify } from "@/lib/domain/notifications/notify";
import { publishEvent } from "@/lib/domain/webhooks/publish";
import { QUEUES } from "@/lib/jobs/queue";
import { campaignScopeSchema } from "./campaign-scope";
import { campaignToManage, type Campaign } from "./manage";

/** Grants snapshotted per transaction: big enough to be fast, small enough that progress moves. */
export const LAUNCH_SLICE = 5_000;

/**
 * Starts a launch: the campaign turns "launching" and a job snapshots its items. Refuses an
 * empty scope, so nobody launches a campaign that reviews nothing.
 */
export async function launchCampaign(deps: Deps, actor: Actor, input: { campaignId: string }) {
  return deps.db.transaction(async (tx) => {
    const campaign = await campaignToManage(tx, actor, input.campaignId);
    if (campaign.status !== "draft") throw new Invalid("Only a draft campaign can be launched.");
    const at = deps.now();
    const scope = campaignScopeSchema.parse(campaign.scope);
    const count = await countInScope(tx, scope, at);
    if (count === 0) throw new Invalid("This campaign's scope selects no active grants: there is nothing to review.");
    await beginLaunch(deps, tx, campaign, at);
    await recordAudit(tx, { actor: auditActor(actor), action: "campaign.launch_started", entityType: "campaign", entityId: campaign.id, after: { expectedItems: count }, at });
    return { campaignId: campaign.id, expectedItems: count };
  });
}

/** Sets a draft (or a new recurring run) launching and enqueues its snapshot job, in the caller's transaction. */
export async function beginLaunch(deps: Deps, tx: Executor, campaign: Campaign, at: Date) {
  const duration = campaign.dueAt ? campaign.dueAt.getTime() - (campaign.startsAt ?? campaign.createdAt).getTime() : 14 * 86_400_000;
  await tx
    .update(campaigns)
    .set({ status: "launching", startsAt: at, dueAt: new Date(at.getTime() + duration), itemCount: 0 })
    .where(eq(campaigns.id, campaign.id));
  await deps.jobs.sendInTransaction(tx, QUEUES.campaignLaunch, { campaignId: campaign.id }, { singletonKey: campaign.id });
}


/**
 * The launch job: snapshots the scope slice by slice (INSERT ... SELECT, see insertReviewItems),
 * committing each slice with the running item count so the campaign page shows progress. A
 * launch interrupted by a crash resumes after the last committed slice; the evidence of every
 * item is taken at the launch time, whichever slice it lands in.
 */
export async function runLaunch(deps: Deps, input: { campaignId: string; slice?: number }): Promise<{ items: number }> {
  const [campaign] = await deps.db.select().from(campaigns).where(eq(campaigns.id, input.campaignId));
  if (!campaign || campaign.status !== "launching") return { items: campaign?.itemCount ?? 0 };
  const scope = campaignScopeSchema.parse(campaign.scope);
  const at = campaign.startsAt ?? deps.now();
  const [last] = await deps.db
    .select({ grantId: reviewItems.grantId })
    .from(reviewItems)
    .where(and(eq(reviewItems.campaignId, campaign.id), eq(reviewItems.stage, 1)))
    .orderBy(desc(reviewItems.grantId))
    .limit(1);
  let afterId = last?.grantId ?? null;
  const [peers] = await deps.db.select({ n: launchPeerStats.n }).from(launchPeerStats).where(eq(launchPeerStats.campaignId, campaign.id)).limit(1);
  if (!peers) await deps.db.transaction((tx) => computeLaunchPeerStats(tx, { campaignId: campaign.id, scope, at }));

  for (;;) {
    const ids = await nextScopeSlice(deps.db, { scope, at, afterId, limit: input.slice ?? LAUNCH_SLICE });
    if (ids.length === 0) break;
    await deps.db.transaction(async (tx) => {
      const inserted = await insertReviewItems(tx, {
        campaignId: campaign.id,
        stage: 1,
        rule: campaign.reviewerRule,
        namedReviewerIds: campaign.namedReviewerIds,
        fallbackId: campaign.fallbackReviewerId,
        ownerId: campaign.createdById,
        windowDays: campaign.windowDays,
        dueAt: campaign.dueAt,
        at,
        precomputedPeers: true,
        items: ids.map((id) => ({ grantId: id, subjectKey: id })),
      });
      await tx.update(campaigns).set({ itemCount: sql`${campaigns.itemCount} + ${inserted}` }).where(eq(campaigns.id, campaign.id));
    });
    afterId = ids[ids.length - 1]!;
  }

  return deps.db.transaction(async (tx) => {
    const [done] = await tx.update(campaigns).set({ status: "active", launchedAt: deps.now() }).where(and(eq(campaigns.id, campaign.id), eq(campaigns.status, "launching"))).returning();
    if (!done) return { items: campaign.itemCount };
    await tx.delete(launchPeerStats).where(eq(launchPeerStats.campaignId, campaign.id));
    const reviewers = await tx.selectDistinct({ id: reviewItems.reviewerId }).from(reviewItems).where(eq(reviewItems.campaignId, campaign.id));
    await notify(tx, {
      recipientIds: reviewers.flatMap((r) => (r.id ? [r.id] : [])),
      kind: "campaign.launched",
      subject: `Access review: ${done.name}`,
      body: `You have access to review in "${done.name}", due ${done.dueAt?.toISOString().slice(0, 10) ?? "soon"}.`,
      link: `/reviews?campaign=${done.id}`,
      dedupeKey: `campaign.launched:${done.id}`,
      at: deps.now(),
    });
    await recordAudit(tx, { actor: SYSTEM_ACTOR, action: "campaign.launched", entityType: "campaign", entityId: done.id, after: { items: done.itemCount, dueAt: done.dueAt }, at: deps.now() });
    await publishEvent(deps, tx, { type: "campaign.launched", data: { campaignId: done.id, name: done.name, items: done.itemCount, dueAt: done.dueAt }, at: deps.now() });
    return { items: done.itemCount };
  });
}
