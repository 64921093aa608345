import { eq, sql } from "drizzle-orm";
import { connect } from "@/db/client";
import { campaigns } from "@/db/schema";
import { loadActiveActor } from "@/lib/domain/access/load-actor";
import { createCampaign, createCampaignInput } from "@/lib/domain/campaigns/create-campaign";
import { decideItems } from "@/lib/domain/campaigns/decide-items";
import { launchCampaign, runLaunch } from "@/lib/domain/campaigns/launch-campaign";
import { myQueue, queueFiltersSchema, reviewItemView } from "@/lib/domain/campaigns/review-views";
import type { Deps } from "@/lib/domain/deps";
import { JobQueue } from "@/lib/jobs/queue";

type Measure = (name: string, fn: () => Promise<unknown>) => Promise<void>;

const TARGET_ITEMS = 100_000;

/**
 * Issue 5's figures on the database at DATABASE_URL (generate the large organisation first): a
 * campaign of about 100,000 items over the busiest applications is launched (snapshot with
 * evidence), the busiest reviewer's queue page is timed, 1,000 of their items are certified in
 * one bulk decision, and the campaign is deleted again. Grants certified by the bench keep
 * their new review date.
 */
export async function benchCampaigns(url: string, measure: Measure) {
  const { db, close } = connect(url, { max: 4 });
  const jobs = new JobQueue(url);
  const deps: Deps = { db, now: () => new Date(), jobs };
  try {
    const apps = await db.execute<{ id: string; running: number }>(sql`
      select id, sum(n) over (order by n desc, id)::int running from (
        select e.application_id id, count(*) n from grants g join entitlements e on e.id = g.entitlement_id where g.status = 'active' group by 1) x
      order by n desc, id`);
    const cut = apps.findIndex((a) => a.running >= TARGET_ITEMS);
    const applicationIds = apps.slice(0, cut === -1 ? apps.length : cut + 1).map((a) => a.id);
    const [admin] = await db.execute<{ identity_id: string }>(sql`select identity_id from identity_roles where role = 'admin' limit 1`);
    const actor = (await loadActiveActor(db, admin!.identity_id))!;
    const { campaignId } = await createCampaign(
      deps,
      actor,
      createCampaignInput.parse({ name: `bench ${Date.now()}`, scope: { applicationIds }, reviewerRule: "manager", fallbackReviewerId: actor.id }),
    );
    try {
      const started = performance.now();
      await launchCampaign(deps, actor, { campaignId });
      const { items } = await runLaunch(deps, { campaignId });
      const seconds = (performance.now() - started) / 1000;
      console.log(`${"launch campaign with evidence snapshot".padEnd(58)} ${items.toLocaleString("en")} items in ${seconds.toFixed(1)} s (${Math.round(items / seconds).toLocaleString("en")} items/s)`);

      const [busiest] = await db.execute<{ reviewer_id: string; n: number }>(sql`
        select reviewer_id, count(*)::int n from review_items where campaign_id = ${campaignId} and reviewer_id is not null
        group by 1 order by 2 desc limit 1`);
      const reviewer = (await loadActiveActor(db, busiest!.reviewer_id))!;
      const filters = queueFiltersSchema.parse({ campaignId });
      await measure(`reviewer queue page, 50 items + evidence (${busiest!.n} in queue)`, async () => {
        const { page } = await myQueue(deps, reviewer, filters);
        if (page.rows[0]) await reviewItemView(deps, reviewer, { itemId: page.rows[0].id });
      });

      const bulk = await db.execute<{ id: string; version: number }>(sql`
        select r.id, r.version from review_items r join entitlements e on e.id = r.entitlement_id
        where r.campaign_id = ${campaignId} and r.reviewer_id = ${reviewer.id} and r.status = 'pending'
          and (not e.privileged or (r.evidence -> 'usage' ->> 'sessionCount')::int > 0)
        limit 1000`);
      const t0 = performance.now();
      const outcome = await decideItems(deps, reviewer, { items: bulk.map((r) => ({ itemId: r.id, version: r.version })), decision: "certify", secondsSpent: 1 });
      console.log(`${`bulk certify ${bulk.length} items`.padEnd(58)} ${((performance.now() - t0) / 1000).toFixed(2)} s (${outcome.refused.length} refused)`);
    } finally {
      await db.delete(campaigns).where(eq(campaigns.id, campaignId));
    }
  } finally {
    await jobs.stop();
    await close();
  }
}
