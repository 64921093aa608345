import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { campaigns, grants, reviewDecisions, reviewItems, revocations, usageEvents, webhookDeliveries, webhookSubscriptions } from "@/db/schema";
import { Conflict, Forbidden, Invalid } from "@/lib/errors";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makeNonHuman, makePerson, makeSession } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { openAdHocReview } from "./ad-hoc-review";
import { closeCampaign } from "./close-campaign";
import type { z } from "zod";
import { createCampaign, createCampaignInput } from "./create-campaign";
import { decideItems, decideItemsInput, undoDecision } from "./decide-items";
import { evidenceOf } from "./evidence";
import { launchCampaign, runLaunch } from "./launch-campaign";
import { recommend } from "./recommend";
import { resolveReviewer } from "./reviewer";
import { sweepCampaigns } from "./sweep";

const DAY = 86_400_000;
let clock = new Date("2026-06-01T09:00:00Z");
const deps = testDeps(() => clock);
const daysAgo = (n: number) => new Date(clock.getTime() - n * DAY);

/** A small organisation with one application: a manager and reports, a leaver, an ownerless NHI, an owner. */
async function organisation() {
  const admin = await makePerson(testDb, { roles: ["admin"] });
  const fallback = await makePerson(testDb);
  const bigBoss = await makePerson(testDb);
  const manager = await makePerson(testDb, { managerId: bigBoss.id, title: "Lead" });
  const alice = await makePerson(testDb, { managerId: manager.id, department: "Ops", title: "SRE" });
  const bob = await makePerson(testDb, { managerId: manager.id, department: "Ops", title: "SRE" });
  const carol = await makePerson(testDb, { managerId: manager.id, department: "Ops", title: "SRE" });
  const goneManager = await makePerson(testDb, { status: "leaver" });
  const orphaned = await makePerson(testDb, { managerId: goneManager.id });
  const leaver = await makePerson(testDb, { managerId: manager.id, status: "leaver" });
  const bot = await makeNonHuman(testDb, { ownerId: null });
  const owner = await makePerson(testDb);
  const app = await makeApplication(testDb, { ownerIds: [owner.id] });
  const admin_ = await makeEntitlement(testDb, { applicationId: app.id, privileged: true, name: "prod-admin" });
  const reader = await makeEntitlement(testDb, { applicationId: app.id, name: "reader" });
  const approver = await makePerson(testDb, { displayName: "Priya Approver" });

  const g = {
    aliceAdmin: await makeGrant(testDb, { identityId: alice.id, entitlementId: admin_.id, grantedAt: daysAgo(200), approvedById: approver.id, approvedAt: daysAgo(200), justification: "on call" }),
    aliceReader: await makeGrant(testDb, { identityId: alice.id, entitlementId: reader.id, grantedAt: daysAgo(300) }),
    bobReader: await makeGrant(testDb, { identityId: bob.id, entitlementId: reader.id, grantedAt: daysAgo(300) }),
    carolReader: await makeGrant(testDb, { identityId: carol.id, entitlementId: reader.id, grantedAt: daysAgo(300) }),
    bobAdmin: await makeGrant(testDb, { identityId: bob.id, entitlementId: admin_.id, grantedAt: daysAgo(200) }),
    orphanedReader: await makeGrant(testDb, { identityId: orphaned.id, entitlementId: reader.id, grantedAt: daysAgo(10) }),
    leaverReader: await makeGrant(testDb, { identityId: leaver.id, entitlementId: reader.id, grantedAt: daysAgo(300) }),
    botAdmin: await makeGrant(testDb, { identityId: bot.id, entitlementId: admin_.id, grantedAt: daysAgo(50) }),
    managerAdmin: await makeGrant(testDb, { identityId: manager.id, entitlementId: admin_.id, grantedAt: daysAgo(20) }),
  };
  // Alice used her admin rights on two days (rarely); everyone used reader regularly.
  await makeSession(testDb, { grantId: g.aliceAdmin.id, identityId: alice.id, startedAt: daysAgo(3), minutes: 45, target: "db-1" });
  await makeSession(testDb, { grantId: g.aliceAdmin.id, identityId: alice.id, startedAt: daysAgo(40), minutes: 90, target: "db-2" });
  for (const grant of [g.aliceReader, g.bobReader, g.carolReader]) {
    for (let d = 1; d <= 6; d += 1) {
      await testDb
        .insert(usageEvents)
        .values({ source: "test", sourceEventId: `${grant.id}-${d}`, kind: "sign_in", action: "login", occurredAt: daysAgo(d * 7), grantId: grant.id, identityId: grant.identityId });
    }
  }
  return { admin, fallback, bigBoss, manager, alice, bob, carol, orphaned, leaver, bot, owner, app, admin_, reader, approver, goneManager, g };
}

type CampaignInput = z.input<typeof createCampaignInput>;
async function launched(input: Partial<CampaignInput> & Pick<CampaignInput, "fallbackReviewerId" | "scope">, actorId: string) {
  const parsed = createCampaignInput.parse({ name: "Q2 review", reviewerRule: "manager", ...input });
  const actor = await actorFor(testDb, actorId);
  const { campaignId } = await createCampaign(deps, actor, parsed);
  await launchCampaign(deps, actor, { campaignId });
  await runLaunch(deps, { campaignId, slice: 3 });
  return campaignId;
}

const itemsOf = (campaignId: string) => testDb.select().from(reviewItems).where(eq(reviewItems.campaignId, campaignId));
const itemFor = async (campaignId: string, grantId: string) => (await itemsOf(campaignId)).find((i) => i.grantId === grantId)!;

describe("launching a campaign", () => {
  it("snapshots one item per grant in scope, across slices, with reviewers and recommendations as the pure rules say", async () => {
    const org = await organisation();
    const campaignId = await launched({ scope: { applicationIds: [org.app.id] }, fallbackReviewerId: org.fallback.id }, org.admin.id);
    const [campaign] = await testDb.select().from(campaigns).where(eq(campaigns.id, campaignId));
    const items = await itemsOf(campaignId);
    expect(campaign!.status).toBe("active");
    expect(campaign!.itemCount).toBe(Object.keys(org.g).length);
    expect(items).toHaveLength(Object.keys(org.g).length);

    const statusOf = new Map([
      [org.manager.id, "active"],
      [org.goneManager.id, "leaver"],
      [org.bigBoss.id, "active"],
    ] as const);
    for (const item of items) {
      const evidence = evidenceOf(item);
      const managerId = [org.alice, org.bob, org.carol, org.leaver].some((p) => p.id === item.identityId)
        ? org.manager.id
        : item.identityId === org.orphaned.id
          ? org.goneManager.id
          : item.identityId === org.manager.id
            ? org.bigBoss.id
            : null;
      const expected = resolveReviewer({
        rule: "manager",
        subjectId: item.identityId,
        candidates: managerId ? [{ id: managerId, status: statusOf.get(managerId)! }] : [],
        fallbackId: org.fallback.id,
        ownerId: org.admin.id,
      });
      expect({ reviewerId: item.reviewerId, reason: item.reviewerReason }).toEqual(expected);

      const grant = Object.values(org.g).find((x) => x.id === item.grantId)!;
      const pure = recommend({
        identityStatus: evidence.identity.status,
        nonHuman: evidence.identity.kind === "non_human",
        ownerStatus: (evidence.identity.ownerStatus as "active" | null) ?? null,
        privileged: evidence.entitlement.privileged,
        kind: grant.kind,
        grantedAt: grant.grantedAt,
        lastUsedAt: evidence.usage.lastUsedAt ? new Date(evidence.usage.lastUsedAt) : null,
        usageDays: evidence.usage.usageDays,
        windowDays: 90,
        peersHolding: evidence.peers.holding,
        peerCount: evidence.peers.total,
        now: clock,
      });
      expect({ recommendation: item.recommendation, reason: item.recommendationReason }).toEqual(pure);
    }

    // Spot checks against hand-worked expectations.
    const alice = await itemFor(campaignId, org.g.aliceAdmin.id);
    const evidence = evidenceOf(alice);
    expect(evidence.grant.approvedBy).toBe("Priya Approver");
    expect(evidence.usage.sessionCount).toBe(2);
    expect(evidence.usage.privilegedHours).toBe(2.25);
    expect(evidence.usage.sessions.map((s) => [s.target, s.durationSeconds])).toEqual([
      ["db-1", 2700],
      ["db-2", 5400],
    ]);
    expect(alice.recommendation).toBe("reduce");
    expect((await itemFor(campaignId, org.g.bobReader.id)).recommendation).toBe("certify");
    expect(evidenceOf(await itemFor(campaignId, org.g.bobReader.id)).peers).toEqual({ holding: 2, total: 2 });
    expect((await itemFor(campaignId, org.g.leaverReader.id)).recommendation).toBe("revoke");
    expect((await itemFor(campaignId, org.g.botAdmin.id)).recommendationReason).toBe("This non-human identity has no owner.");
    expect((await itemFor(campaignId, org.g.orphanedReader.id)).reviewerReason).toBe("Fallback reviewer: the manager is not active");
    expect((await itemFor(campaignId, org.g.botAdmin.id)).reviewerId).toBe(org.fallback.id);
  });

  it("keeps the snapshot as it was at launch when the evidence changes later", async () => {
    const org = await organisation();
    const campaignId = await launched({ scope: { applicationIds: [org.app.id], privilegedOnly: true }, fallbackReviewerId: org.fallback.id }, org.admin.id);
    await makeSession(testDb, { grantId: org.g.aliceAdmin.id, identityId: org.alice.id, startedAt: daysAgo(1), minutes: 10 });
    expect(evidenceOf(await itemFor(campaignId, org.g.aliceAdmin.id)).usage.sessionCount).toBe(2);
    expect(await itemsOf(campaignId)).toHaveLength(4);
  });

  it("refuses to launch an empty scope, and lets app owners launch only over their own applications", async () => {
    const org = await organisation();
    const empty = await makeApplication(testDb, { ownerIds: [org.owner.id] });
    const owner = await actorFor(testDb, org.owner.id);
    const { campaignId } = await createCampaign(
      deps,
      owner,
      createCampaignInput.parse({ name: "Empty", reviewerRule: "app_owner", scope: { applicationIds: [empty.id] }, fallbackReviewerId: org.fallback.id }),
    );
    await expect(launchCampaign(deps, owner, { campaignId })).rejects.toThrow(new Invalid("This campaign's scope selects no active grants: there is nothing to review."));
    const other = await makeApplication(testDb);
    await expect(
      createCampaign(deps, owner, createCampaignInput.parse({ name: "Theirs", reviewerRule: "app_owner", scope: { applicationIds: [other.id] }, fallbackReviewerId: org.fallback.id })),
    ).rejects.toThrow(new Forbidden("You can only review applications you own."));
  });

  it("gives a named reviewer's own access to the fallback, never to themselves", async () => {
    const org = await organisation();
    const campaignId = await launched({ scope: { applicationIds: [org.app.id] }, reviewerRule: "named", namedReviewerIds: [org.alice.id], fallbackReviewerId: org.fallback.id }, org.admin.id);
    const own = await itemFor(campaignId, org.g.aliceAdmin.id);
    expect(own.reviewerId).toBe(org.fallback.id);
    expect(own.reviewerReason).toBe("Fallback reviewer: the named reviewer is the person under review");
    expect((await itemFor(campaignId, org.g.bobReader.id)).reviewerId).toBe(org.alice.id);
  });
});

describe("deciding items", () => {
  const one = (item: { id: string; version: number }) => [{ itemId: item.id, version: item.version }];

  it("certifying schedules the next review by risk; revoking hands the grant to the revocation pipeline at once when removals apply on decision", async () => {
    const org = await organisation();
    const campaignId = await launched({ scope: { applicationIds: [org.app.id] }, removals: "on_decision", fallbackReviewerId: org.fallback.id }, org.admin.id);
    const manager = await actorFor(testDb, org.manager.id);
    const bobReader = await itemFor(campaignId, org.g.bobReader.id);
    const aliceAdmin = await itemFor(campaignId, org.g.aliceAdmin.id);
    await decideItems(deps, manager, decideItemsInput.parse({ items: one(bobReader), decision: "certify", secondsSpent: 12 }));
    await decideItems(deps, manager, decideItemsInput.parse({ items: one(aliceAdmin), decision: "certify", secondsSpent: 40 }));
    const [reader] = await testDb.select().from(grants).where(eq(grants.id, org.g.bobReader.id));
    const [admin] = await testDb.select().from(grants).where(eq(grants.id, org.g.aliceAdmin.id));
    expect(reader!.nextReviewDue).toEqual(new Date(clock.getTime() + 365 * DAY));
    expect(admin!.nextReviewDue).toEqual(new Date(clock.getTime() + 90 * DAY));

    const leaver = await itemFor(campaignId, org.g.leaverReader.id);
    await expect(decideItems(deps, manager, decideItemsInput.parse({ items: one(leaver), decision: "revoke", comment: "Left in May" }))).resolves.toMatchObject({ decided: [leaver.id] });
    const [revocation] = await testDb.select().from(revocations).where(eq(revocations.grantId, org.g.leaverReader.id));
    expect(revocation).toMatchObject({ status: "requested", cause: "review", causeRef: leaver.id });
    const after = await itemFor(campaignId, org.g.leaverReader.id);
    expect(after).toMatchObject({ decision: "revoke", revocationId: revocation!.id, decidedById: org.manager.id, comment: "Left in May", bulk: false });
    const [grant] = await testDb.select().from(grants).where(eq(grants.id, org.g.leaverReader.id));
    expect(grant!.status).toBe("pending_revocation");
  });

  it("keeps revocations as drafts that can be changed or undone until the campaign closes, then applies them", async () => {
    const org = await organisation();
    const campaignId = await launched({ scope: { applicationIds: [org.app.id] }, fallbackReviewerId: org.fallback.id }, org.admin.id);
    const manager = await actorFor(testDb, org.manager.id);
    const leaver = await itemFor(campaignId, org.g.leaverReader.id);
    await decideItems(deps, manager, decideItemsInput.parse({ items: one(leaver), decision: "revoke", comment: "Left" }));
    expect(await testDb.select().from(revocations).where(eq(revocations.grantId, org.g.leaverReader.id))).toEqual([]);
    const drafted = await itemFor(campaignId, org.g.leaverReader.id);
    await undoDecision(deps, manager, { itemId: drafted.id, version: drafted.version });
    const undone = await itemFor(campaignId, org.g.leaverReader.id);
    expect(undone).toMatchObject({ status: "pending", decision: null });
    await decideItems(deps, manager, decideItemsInput.parse({ items: one(undone), decision: "revoke", comment: "Left, really" }));
    const history = await testDb.select().from(reviewDecisions).where(eq(reviewDecisions.reviewItemId, leaver.id));
    expect(history.map((h) => [h.decision, h.undoneAt === null]).sort()).toEqual([
      ["revoke", false],
      ["revoke", true],
    ]);

    await closeCampaign(deps, await actorFor(testDb, org.admin.id), { campaignId });
    const [revocation] = await testDb.select().from(revocations).where(eq(revocations.grantId, org.g.leaverReader.id));
    expect(revocation).toMatchObject({ status: "requested", causeRef: leaver.id });
    expect((await itemFor(campaignId, org.g.leaverReader.id)).revocationId).toBe(revocation!.id);
  });

  it("requires a comment to revoke and to certify privileged access unused in the window", async () => {
    const org = await organisation();
    const campaignId = await launched({ scope: { applicationIds: [org.app.id] }, fallbackReviewerId: org.fallback.id }, org.admin.id);
    expect(decideItemsInput.safeParse({ items: [{ itemId: crypto.randomUUID(), version: 0 }], decision: "revoke" }).error?.issues[0]?.path).toEqual(["comment"]);
    const manager = await actorFor(testDb, org.manager.id);
    const bobAdmin = await itemFor(campaignId, org.g.bobAdmin.id);
    await expect(decideItems(deps, manager, decideItemsInput.parse({ items: one(bobAdmin), decision: "certify" }))).rejects.toThrow(
      "Privileged access that was not used in the review window needs a comment to certify.",
    );
    await expect(decideItems(deps, manager, decideItemsInput.parse({ items: one(bobAdmin), decision: "certify", comment: "Needed for the DR drill" }))).resolves.toMatchObject({
      decided: [bobAdmin.id],
    });
  });

  it("refuses a decision on someone else's item, on your own access, and after the campaign closed", async () => {
    const org = await organisation();
    const campaignId = await launched({ scope: { applicationIds: [org.app.id] }, fallbackReviewerId: org.fallback.id }, org.admin.id);
    const bob = await actorFor(testDb, org.bob.id);
    const aliceItem = await itemFor(campaignId, org.g.aliceAdmin.id);
    await expect(decideItems(deps, bob, decideItemsInput.parse({ items: one(aliceItem), decision: "certify", comment: "ok" }))).rejects.toThrow(
      new Forbidden("This item is assigned to another reviewer."),
    );
    // Force the manager's own grant onto the manager: the server still refuses.
    const managerItem = await itemFor(campaignId, org.g.managerAdmin.id);
    await testDb.update(reviewItems).set({ reviewerId: org.manager.id }).where(eq(reviewItems.id, managerItem.id));
    await expect(decideItems(deps, await actorFor(testDb, org.manager.id), decideItemsInput.parse({ items: one(managerItem), decision: "certify", comment: "mine" }))).rejects.toThrow(
      new Forbidden("Nobody may certify their own access."),
    );
    await closeCampaign(deps, await actorFor(testDb, org.admin.id), { campaignId });
    const closed = await itemFor(campaignId, org.g.bobReader.id);
    await expect(decideItems(deps, await actorFor(testDb, org.manager.id), decideItemsInput.parse({ items: one(closed), decision: "certify" }))).rejects.toThrow(
      new Forbidden("The campaign is not open for decisions."),
    );
    expect(await testDb.select().from(reviewDecisions).where(eq(reviewDecisions.reviewItemId, aliceItem.id))).toEqual([]);
  });

  it("lets exactly one of two simultaneous decisions on the same item win; the other is told it changed", async () => {
    const org = await organisation();
    const campaignId = await launched({ scope: { applicationIds: [org.app.id] }, fallbackReviewerId: org.fallback.id }, org.admin.id);
    const manager = await actorFor(testDb, org.manager.id);
    const item = await itemFor(campaignId, org.g.carolReader.id);
    const results = await Promise.allSettled([
      decideItems(deps, manager, decideItemsInput.parse({ items: one(item), decision: "certify" })),
      decideItems(deps, manager, decideItemsInput.parse({ items: one(item), decision: "revoke", comment: "not needed" })),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(Conflict);
    expect(String(lost.reason.message)).toMatch(/^This item changed since you opened it: it is now "(certify|revoke)"/);
    expect(await testDb.select().from(reviewDecisions).where(eq(reviewDecisions.reviewItemId, item.id))).toHaveLength(1);
  });

  it("bulk-certifies what may be certified, refuses items that need a comment, and marks the decisions as bulk", async () => {
    const org = await organisation();
    const campaignId = await launched({ scope: { applicationIds: [org.app.id] }, fallbackReviewerId: org.fallback.id }, org.admin.id);
    const mine = (await itemsOf(campaignId)).filter((i) => i.reviewerId === org.manager.id);
    const outcome = await decideItems(
      deps,
      await actorFor(testDb, org.manager.id),
      decideItemsInput.parse({ items: mine.map((i) => ({ itemId: i.id, version: i.version })), decision: "certify", secondsSpent: 1 }),
    );
    const bobAdmin = await itemFor(campaignId, org.g.bobAdmin.id);
    expect(outcome.refused).toEqual([{ itemId: bobAdmin.id, reason: "Privileged access that was not used in the review window needs a comment to certify." }]);
    expect(outcome.decided).toHaveLength(mine.length - 1);
    expect((await itemFor(campaignId, org.g.carolReader.id)).bulk).toBe(true);
  });

  it("sends privileged certifications to a second stage before they count", async () => {
    const org = await organisation();
    const campaignId = await launched({ scope: { applicationIds: [org.app.id] }, secondStageRule: "app_owner", fallbackReviewerId: org.fallback.id }, org.admin.id);
    const manager = await actorFor(testDb, org.manager.id);
    const first = await itemFor(campaignId, org.g.aliceAdmin.id);
    await decideItems(deps, manager, decideItemsInput.parse({ items: one(first), decision: "certify" }));
    const [second] = await testDb
      .select()
      .from(reviewItems)
      .where(and(eq(reviewItems.campaignId, campaignId), eq(reviewItems.stage, 2)));
    expect(second).toMatchObject({ reviewerId: org.owner.id, grantId: org.g.aliceAdmin.id, status: "pending" });
    const [grant] = await testDb.select().from(grants).where(eq(grants.id, org.g.aliceAdmin.id));
    expect(grant!.nextReviewDue).toBeNull();
    await decideItems(deps, await actorFor(testDb, org.owner.id), decideItemsInput.parse({ items: one(second!), decision: "certify" }));
    const [certified] = await testDb.select().from(grants).where(eq(grants.id, org.g.aliceAdmin.id));
    expect(certified!.nextReviewDue).toEqual(new Date(clock.getTime() + 90 * DAY));
  });
});

describe("the campaign clock", () => {
  it("escalates overdue items to the reviewer's manager, then closes with the undecided-item policy", async () => {
    clock = new Date("2026-06-01T09:00:00Z");
    const org = await organisation();
    const campaignId = await launched({ scope: { applicationIds: [org.app.id] }, dueInDays: 14, closePolicy: "keep_and_flag", fallbackReviewerId: org.fallback.id }, org.admin.id);
    const item = await itemFor(campaignId, org.g.carolReader.id);
    expect(item.reviewerId).toBe(org.manager.id);

    clock = new Date(clock.getTime() + 10 * DAY);
    expect((await sweepCampaigns(deps)).escalated).toBe(0);
    clock = new Date(clock.getTime() + 5 * DAY);
    await sweepCampaigns(deps);
    const escalated = await itemFor(campaignId, org.g.carolReader.id);
    expect(escalated).toMatchObject({ reviewerId: org.bigBoss.id, reviewerReason: "Escalated when overdue: Manager" });

    clock = new Date(clock.getTime() + 7 * DAY);
    await sweepCampaigns(deps);
    const [campaign] = await testDb.select().from(campaigns).where(eq(campaigns.id, campaignId));
    expect(campaign!.status).toBe("closed");
    const [grant] = await testDb.select().from(grants).where(eq(grants.id, org.g.carolReader.id));
    expect(grant!.nextReviewDue).toEqual(clock);
    expect(await testDb.select().from(revocations).where(eq(revocations.grantId, org.g.carolReader.id))).toEqual([]);
  });

  it("revokes undecided items under the revoke policy, and extends once under extend-once", async () => {
    clock = new Date("2026-07-01T09:00:00Z");
    const org = await organisation();
    const revoking = await launched({ scope: { applicationIds: [org.app.id], privilegedOnly: true }, closePolicy: "revoke", fallbackReviewerId: org.fallback.id }, org.admin.id);
    const extending = await launched({ scope: { applicationIds: [org.app.id] }, closePolicy: "extend_once", fallbackReviewerId: org.fallback.id }, org.admin.id);
    clock = new Date(clock.getTime() + 22 * DAY);
    await sweepCampaigns(deps);
    const revoked = await itemsOf(revoking);
    expect(revoked.every((i) => i.status === "closed" && i.decision === "revoke" && i.revocationId)).toBe(true);
    const [ext] = await testDb.select().from(campaigns).where(eq(campaigns.id, extending));
    expect(ext).toMatchObject({ status: "active", dueAt: new Date("2026-07-22T09:00:00Z") });
    clock = new Date(clock.getTime() + 8 * DAY);
    await sweepCampaigns(deps);
    const [closed] = await testDb.select().from(campaigns).where(eq(campaigns.id, extending));
    expect(closed!.status).toBe("closed");
  });

  it("launches the next run of a recurring campaign once, even when two sweeps race", async () => {
    clock = new Date("2026-08-01T09:00:00Z");
    const org = await organisation();
    const first = await launched(
      { name: "Privileged quarterly", scope: { applicationIds: [org.app.id], privilegedOnly: true }, recurrence: "quarterly", fallbackReviewerId: org.fallback.id },
      org.admin.id,
    );
    clock = new Date(clock.getTime() + 91 * DAY);
    const results = await Promise.all([sweepCampaigns(deps), sweepCampaigns(deps)]);
    expect(results.reduce((n, r) => n + r.launched, 0)).toBe(1);
    const series = await testDb.select().from(campaigns).where(eq(campaigns.seriesId, first));
    expect(series.map((c) => [c.runNumber, c.status]).sort()).toEqual([
      [1, "closed"],
      [2, "launching"],
    ]);
  });
});

describe("webhook events", () => {
  it("announces launches, decisions and closes to subscribers, in the transaction of each change", async () => {
    await testDb.insert(webhookSubscriptions).values({ name: "siem", url: "https://siem.example/hook", events: ["campaign.launched", "review.decided", "campaign.closed"], secretEncrypted: "unused" });
    const org = await organisation();
    const campaignId = await launched({ scope: { applicationIds: [org.app.id] }, fallbackReviewerId: org.fallback.id }, org.admin.id);
    const item = await itemFor(campaignId, org.g.bobReader.id);
    await decideItems(deps, await actorFor(testDb, org.manager.id), decideItemsInput.parse({ items: [{ itemId: item.id, version: item.version }], decision: "certify" }));
    await closeCampaign(deps, await actorFor(testDb, org.admin.id), { campaignId });
    const deliveries = await testDb.select({ type: webhookDeliveries.eventType, payload: webhookDeliveries.payload }).from(webhookDeliveries);
    const mine = deliveries.filter((d) => JSON.stringify(d.payload).includes(campaignId));
    expect(mine.map((d) => d.type).sort()).toEqual(["campaign.closed", "campaign.launched", "review.decided"]);
  });
});

describe("ad-hoc reviews", () => {
  it("opens a post-use review of a break-glass activation for someone other than its user", async () => {
    const org = await organisation();
    const { reviewItemId } = await testDb.transaction((tx) =>
      openAdHocReview(deps, tx, {
        grantId: org.g.aliceAdmin.id,
        reason: "Break-glass used for INC-1",
        source: "break_glass",
        sourceRef: crypto.randomUUID(),
        excludeIds: [org.alice.id],
        dueAt: new Date(clock.getTime() + 2 * DAY),
      }),
    );
    const [item] = await testDb.select().from(reviewItems).where(eq(reviewItems.id, reviewItemId));
    expect(item).toMatchObject({ reviewerId: org.owner.id, identityId: org.alice.id, status: "pending" });
    expect(evidenceOf(item!).origin).toMatchObject({ source: "break_glass", reason: "Break-glass used for INC-1" });
  });
});
