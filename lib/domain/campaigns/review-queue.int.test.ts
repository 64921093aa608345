import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { campaigns, reviewItems } from "@/db/schema";
import { foldQueueCounts, listQueue, queueFacets, type QueueFilters } from "@/db/queries/reviews";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { createCampaign, createCampaignInput } from "./create-campaign";
import { decideItems, decideItemsInput, undoDecision } from "./decide-items";
import { launchCampaign, runLaunch } from "./launch-campaign";
import { reassignItem } from "./reassign-item";
import { myQueue, queueFiltersSchema } from "./review-views";
import { sweepCampaigns } from "./sweep";

const DAY = 86_400_000;
let clock = new Date("2026-06-01T09:00:00Z");
const deps = testDeps(() => clock);

let orgs = 0;

/** A manager with four reports over two applications, a fallback reviewer and an application owner. */
async function organisation() {
  orgs += 1;
  const admin = await makePerson(testDb, { roles: ["admin"] });
  const fallback = await makePerson(testDb);
  const boss = await makePerson(testDb);
  const manager = await makePerson(testDb, { managerId: boss.id });
  const reports = [];
  for (const name of ["Ana Ortiz", "Ben Berg", "Cleo Chan", "Dev Das"]) reports.push(await makePerson(testDb, { managerId: manager.id, displayName: name }));
  const orphan = await makePerson(testDb, { displayName: "Olga Orphan" });
  const owner = await makePerson(testDb);
  const payroll = await makeApplication(testDb, { ownerIds: [owner.id], name: `Payroll ${orgs}` });
  const wiki = await makeApplication(testDb, { ownerIds: [owner.id], name: `Wiki ${orgs}` });
  const payAdmin = await makeEntitlement(testDb, { applicationId: payroll.id, privileged: true, name: "payroll-admin" });
  const payView = await makeEntitlement(testDb, { applicationId: payroll.id, name: "payroll-viewer" });
  const wikiEdit = await makeEntitlement(testDb, { applicationId: wiki.id, name: "wiki-editor" });
  for (const person of [...reports, orphan]) {
    for (const e of [payView, wikiEdit]) await makeGrant(testDb, { identityId: person.id, entitlementId: e.id });
  }
  await makeGrant(testDb, { identityId: reports[0]!.id, entitlementId: payAdmin.id });
  await makeGrant(testDb, { identityId: reports[1]!.id, entitlementId: payAdmin.id });
  return { admin, fallback, boss, manager, reports, orphan, owner, payroll, wiki, payAdmin };
}

async function launched(org: Awaited<ReturnType<typeof organisation>>, input: Partial<z.input<typeof createCampaignInput>> = {}) {
  const actor = await actorFor(testDb, org.admin.id);
  const parsed = createCampaignInput.parse({ name: "Q3 review", reviewerRule: "manager", scope: { applicationIds: [org.payroll.id, org.wiki.id] }, fallbackReviewerId: org.fallback.id, ...input });
  const { campaignId } = await createCampaign(deps, actor, parsed);
  await launchCampaign(deps, actor, { campaignId });
  await runLaunch(deps, { campaignId, slice: 4 });
  return campaignId;
}

/** review_queue_counts summed, beside the same counts taken from review_items: they must always agree. */
async function countsAgree() {
  const kept = await testDb.execute<{ k: string; pending: number; decided: number }>(sql`
    select reviewer_id || '/' || campaign_id || '/' || application_id k, sum(pending)::int pending, sum(decided)::int decided
    from review_queue_counts group by 1 having sum(pending) <> 0 or sum(decided) <> 0 order by 1`);
  const actual = await testDb.execute<{ k: string; pending: number; decided: number }>(sql`
    select r.reviewer_id || '/' || r.campaign_id || '/' || e.application_id k, count(*) filter (where r.status = 'pending')::int pending,
      count(*) filter (where r.status = 'decided')::int decided
    from review_items r join entitlements e on e.id = r.entitlement_id
    where r.reviewer_id is not null and r.status in ('pending', 'decided') group by 1 order by 1`);
  expect([...kept]).toEqual([...actual]);
  return actual.map((r) => r.k);
}

const itemsOf = (campaignId: string) => testDb.select().from(reviewItems).where(eq(reviewItems.campaignId, campaignId));

describe("a reviewer's counts", () => {
  it("follow every change to the items: launch, decisions, undo, reassignment, second stage, escalation, close and deletion", async () => {
    clock = new Date("2026-06-01T09:00:00Z");
    const org = await organisation();
    const campaignId = await launched(org, { secondStageRule: "app_owner", dueInDays: 14 });
    expect((await countsAgree()).filter((k) => k.includes(campaignId)).length).toBeGreaterThan(2);

    const manager = await actorFor(testDb, org.manager.id);
    const mine = (await itemsOf(campaignId)).filter((i) => i.reviewerId === org.manager.id && i.entitlementId !== org.payAdmin.id);
    await decideItems(deps, manager, decideItemsInput.parse({ items: mine.slice(0, 3).map((i) => ({ itemId: i.id, version: i.version })), decision: "certify" }));
    await decideItems(deps, manager, decideItemsInput.parse({ items: [{ itemId: mine[3]!.id, version: mine[3]!.version }], decision: "revoke", comment: "No longer needed" }));
    await countsAgree();

    const privileged = (await itemsOf(campaignId)).find((i) => i.entitlementId === org.payAdmin.id && i.reviewerId === org.manager.id)!;
    await decideItems(deps, manager, decideItemsInput.parse({ items: [{ itemId: privileged.id, version: privileged.version }], decision: "certify", comment: "Runs payroll" }));
    expect((await itemsOf(campaignId)).some((i) => i.stage === 2 && i.reviewerId === org.owner.id)).toBe(true);
    await countsAgree();
    await undoDecision(deps, manager, { itemId: privileged.id, version: privileged.version + 1 }); // withdraws (deletes) the second-stage item
    await countsAgree();

    const open = (await itemsOf(campaignId)).find((i) => i.reviewerId === org.manager.id && i.status === "pending")!;
    await reassignItem(deps, manager, { itemId: open.id, version: open.version, reassignToId: org.owner.id, comment: "Owner knows this one" });
    await countsAgree();

    clock = new Date(clock.getTime() + 15 * DAY);
    await sweepCampaigns(deps); // escalates overdue items to the reviewers' managers
    expect((await itemsOf(campaignId)).some((i) => i.reviewerId === org.boss.id)).toBe(true);
    await countsAgree();
    clock = new Date(clock.getTime() + 7 * DAY);
    await sweepCampaigns(deps); // closes the campaign: every item leaves the queues
    expect((await countsAgree()).filter((k) => k.includes(campaignId))).toEqual([]);
    // ... and the sweep folds away the groups that now sum to nothing, for every reviewer.
    const [closedRows] = await testDb.execute<{ n: number }>(sql`select count(*)::int n from review_queue_counts where campaign_id = ${campaignId}`);
    expect(closedRows!.n).toBe(0);

    const second = await launched(org);
    await countsAgree();
    await testDb.delete(campaigns).where(eq(campaigns.id, second));
    const [left] = await testDb.execute<{ n: number }>(sql`select count(*)::int n from review_queue_counts where campaign_id = ${second}`);
    expect(left!.n).toBe(0);
    await countsAgree();
  });

  it("are the facets of the reviewer's queue, and folding their deltas (even while decisions land) changes no sum", async () => {
    clock = new Date("2026-06-01T09:00:00Z");
    const org = await organisation();
    const campaignId = await launched(org);
    const manager = await actorFor(testDb, org.manager.id);
    const facets = await queueFacets(testDb, { reviewerId: org.manager.id });
    const mine = (await itemsOf(campaignId)).filter((i) => i.reviewerId === org.manager.id);
    expect(facets.campaigns).toEqual([{ id: campaignId, name: "Q3 review", pending: mine.length }]);
    expect(facets.applications.map((a) => a.id)).toEqual([org.payroll.id, org.wiki.id]);

    // Decide and undo one item often enough that its deltas pile up past the fold threshold.
    const item = mine.find((i) => i.entitlementId !== org.payAdmin.id)!;
    for (let version = item.version; version < item.version + 80; version += 2) {
      await decideItems(deps, manager, decideItemsInput.parse({ items: [{ itemId: item.id, version }], decision: "certify" }));
      await undoDecision(deps, manager, { itemId: item.id, version: version + 1 });
    }
    expect((await queueFacets(testDb, { reviewerId: org.manager.id })).needsFold).toBe(true);
    const { facets: shown } = await myQueue(deps, manager, queueFiltersSchema.parse({})); // folds on the way
    expect(shown.campaigns[0]!.pending).toBe(mine.length);
    const after = await queueFacets(testDb, { reviewerId: org.manager.id });
    expect(after.needsFold).toBe(false);
    const [rows] = await testDb.execute<{ n: number }>(sql`select count(*)::int n from review_queue_counts where reviewer_id = ${org.manager.id}`);
    expect(rows!.n).toBe(2); // one per application

    const rest = mine.filter((i) => i.id !== item.id && i.entitlementId !== org.payAdmin.id);
    await Promise.all([
      foldQueueCounts(testDb, { reviewerId: org.manager.id }),
      ...rest.map((i) => decideItems(deps, manager, decideItemsInput.parse({ items: [{ itemId: i.id, version: i.version }], decision: "certify" }))),
      foldQueueCounts(testDb, { reviewerId: org.manager.id }),
    ]);
    await countsAgree();
    expect((await queueFacets(testDb, { reviewerId: org.manager.id })).campaigns[0]!.pending).toBe(mine.length - rest.length);
  });
});

describe("a reviewer's queue", () => {
  it("pages in holder-name order and filters by campaign, application, privilege, recommendation, person and access, only ever over the reviewer's open items", async () => {
    clock = new Date("2026-06-01T09:00:00Z");
    const org = await organisation();
    const closed = await launched(org);
    await testDb.update(campaigns).set({ status: "closed" }).where(eq(campaigns.id, closed));
    const campaignId = await launched(org);
    const items = (
      await testDb.execute<{ id: string; subject_name: string; application_id: string; privileged: boolean; recommendation: string; entitlement: string }>(sql`
      select r.id, r.subject_name, e.application_id, e.privileged, r.recommendation, e.name entitlement
      from review_items r join entitlements e on e.id = r.entitlement_id
      where r.campaign_id = ${campaignId} and r.reviewer_id = ${org.manager.id} and r.status = 'pending'
      order by r.subject_name, r.id`)
    ).map((r) => ({ ...r }));
    expect(items.length).toBeGreaterThan(5);
    const list = async (filters: Partial<QueueFilters>) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof listQueue>> = await listQueue(testDb, { reviewerId: org.manager.id, filters: { status: "pending", limit: 2, ...filters, cursor } });
        ids.push(...page.rows.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    };
    const expected = (keep: (i: (typeof items)[number]) => boolean) => items.filter(keep).map((i) => i.id);

    expect(await list({})).toEqual(expected(() => true));
    expect(await list({ campaignId })).toEqual(expected(() => true));
    expect(await list({ campaignId: closed })).toEqual([]);
    expect(await list({ applicationId: org.wiki.id })).toEqual(expected((i) => i.application_id === org.wiki.id));
    expect(await list({ privileged: true })).toEqual(expected((i) => i.privileged));
    expect(await list({ privileged: false })).toEqual(expected((i) => !i.privileged));
    for (const recommendation of ["certify", "revoke", "reduce", "none"] as const) {
      expect(await list({ recommendation })).toEqual(expected((i) => i.recommendation === recommendation));
    }
    expect(await list({ q: "cleo" })).toEqual(expected((i) => i.subject_name === "Cleo Chan"));
    expect(await list({ q: "WIKI-ED" })).toEqual(expected((i) => i.entitlement === "wiki-editor"));
    expect(await list({ q: "100%_" })).toEqual([]);
    expect(await list({ status: "decided" })).toEqual([]);
    expect(await listQueue(testDb, { reviewerId: org.fallback.id, filters: { status: "pending" } }).then((p) => p.rows.every((r) => r.campaignId === campaignId))).toBe(true);
  });
});
