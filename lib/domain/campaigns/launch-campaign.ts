import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { countInScope, snapshotLaunchSlice } from "@/db/queries/campaign-launch";
import { campaignReviewerIds } from "@/db/queries/campaigns";
import { clearLaunchWorkingSet, hasLaunchWorkingSet, launchGrantsLeft, takeLaunchPeerStats, takeLaunchWorkingSet } from "@/db/queries/launch-working-set";
import { campaigns } from "@/db/schema";
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
export const LAUNCH_SLICE = 10_000;
/**
 * Slices snapshotted side by side, each in its own transaction and database connection: one per
 * core of the 2-core server it was measured on (a slice is CPU-bound there).
 */
export const LAUNCH_WORKERS = 2;

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
 * The launch job. It first takes the launch's working set (launch_grants): the grants in scope
 * with their review history, and beside it the peer counts, computed once for all of them.
 * Then LAUNCH_WORKERS loops snapshot it slice by slice (snapshotLaunchSlice: one statement takes
 * the slice's grants, gathers their use evidence, inserts their items and deletes them from the
 * working set), each adding to the item count in the same transaction, so the campaign page shows progress. A launch
 * interrupted by a crash resumes with what the working set still holds; a second run of the job
 * beside the first takes other slices.
 */
export async function runLaunch(deps: Deps, input: { campaignId: string; slice?: number; workers?: number }): Promise<{ items: number }> {
  const [campaign] = await deps.db.select().from(campaigns).where(eq(campaigns.id, input.campaignId));
  if (!campaign || campaign.status !== "launching") return { items: campaign?.itemCount ?? 0 };
  const at = campaign.startsAt ?? deps.now();
  await takeWorkingSet(deps, campaign, at);
  for (;;) {
    const loops = await Promise.allSettled(Array.from({ length: input.workers ?? LAUNCH_WORKERS }, () => snapshotSlices(deps, campaign, at, input.slice ?? LAUNCH_SLICE)));
    const failed = loops.find((l) => l.status === "rejected");
    if (failed) throw failed.reason;
    const finished = await finishLaunch(deps, campaign);
    if (finished) return finished;
  }
}

/**
 * Activates the campaign, clears its working set and tells the reviewers. Returns null, changing
 * nothing, while grants remain: the loops skip slices another run of the job holds, so they can
 * stop before that run commits, or after it rolled back and left its slice to do again.
 */
async function finishLaunch(deps: Deps, campaign: Campaign): Promise<{ items: number } | null> {
  return deps.db.transaction(async (tx) => {
    if (await launchGrantsLeft(tx, campaign.id)) return null;
    const [done] = await tx
      .update(campaigns)
      .set({ status: "active", launchedAt: deps.now() })
      .where(and(eq(campaigns.id, campaign.id), eq(campaigns.status, "launching")))
      .returning();
    if (!done) return { items: campaign.itemCount };
    await clearLaunchWorkingSet(tx, campaign.id);
    await notify(tx, {
      recipientIds: await campaignReviewerIds(tx, { campaignId: campaign.id }),
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

/**
 * Takes the working set and the peer counts side by side, each in a transaction of its own (the
 * peer counts read the scope themselves, so neither waits for the other). A run of this launch
 * that finds either already taken leaves it; one run at a time takes the working set.
 */
async function takeWorkingSet(deps: Deps, campaign: Campaign, at: Date) {
  const scope = campaignScopeSchema.parse(campaign.scope);
  await Promise.all([
    deps.db.transaction(async (tx) => {
      const [locked] = await tx.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaign.id)).for("update");
      if (locked?.status !== "launching" || (await hasLaunchWorkingSet(tx, campaign.id))) return;
      await takeLaunchWorkingSet(tx, { campaignId: campaign.id, scope, at });
    }),
    deps.db.transaction((tx) => takeLaunchPeerStats(tx, { campaignId: campaign.id, scope, at })),
  ]);
}

/** One loop of the launch: claims, snapshots and commits slices until the working set is empty. */
async function snapshotSlices(deps: Deps, campaign: Campaign, at: Date, slice: number) {
  for (;;) {
    const taken = await deps.db.transaction(async (tx) => {
      const { taken, inserted } = await snapshotLaunchSlice(tx, {
        campaignId: campaign.id,
        stage: 1,
        rule: campaign.reviewerRule,
        namedReviewerIds: campaign.namedReviewerIds,
        fallbackId: campaign.fallbackReviewerId,
        ownerId: campaign.createdById,
        windowDays: campaign.windowDays,
        dueAt: campaign.dueAt,
        at,
        limit: slice,
      });
      if (inserted > 0)
        await tx
          .update(campaigns)
          .set({ itemCount: sql`${campaigns.itemCount} + ${inserted}` })
          .where(eq(campaigns.id, campaign.id));
      return taken;
    });
    if (taken === 0) return;
  }
}
