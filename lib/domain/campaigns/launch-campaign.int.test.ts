import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertReviewItems } from "@/db/queries/campaign-launch";
import { auditEvents, campaigns, findings, launchGrants, launchPeerStats, notifications, reviewItems, usageEvents } from "@/db/schema";
import type { Deps } from "@/lib/domain/deps";
import { actorFor, makeActivation, makeApplication, makeEntitlement, makeGrant, makeNonHuman, makePerson, makeSession } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { createCampaign, createCampaignInput } from "./create-campaign";
import { decideItems, decideItemsInput } from "./decide-items";
import { evidenceOf } from "./evidence";
import { launchCampaign, runLaunch } from "./launch-campaign";

const DAY = 86_400_000;
let clock = new Date("2026-06-01T09:00:00Z");
const deps = testDeps(() => clock);
const daysAgo = (n: number) => new Date(clock.getTime() - n * DAY);

/**
 * One application whose grants carry every kind of evidence the launch gathers once for all of
 * them: use inside and outside the window (twice on one day), more sessions than the evidence
 * lists (two starting at the same instant), activations, a decision in an earlier campaign,
 * open and resolved findings, peers, a leaver, an ownerless NHI and a manager who left.
 */
async function organisation() {
  const admin = await makePerson(testDb, { roles: ["admin"] });
  const fallback = await makePerson(testDb);
  const manager = await makePerson(testDb, { title: "Lead" });
  const goneManager = await makePerson(testDb, { status: "leaver" });
  const people = [];
  for (let n = 0; n < 5; n += 1) people.push(await makePerson(testDb, { managerId: n === 4 ? goneManager.id : manager.id, department: "Ops", title: "SRE" }));
  const leaver = await makePerson(testDb, { managerId: manager.id, status: "leaver" });
  const bot = await makeNonHuman(testDb, { ownerId: null });
  const app = await makeApplication(testDb);
  const admin_ = await makeEntitlement(testDb, { applicationId: app.id, privileged: true, name: "prod-admin" });
  const reader = await makeEntitlement(testDb, { applicationId: app.id, name: "reader" });
  const eligible = await makeEntitlement(testDb, { applicationId: app.id, privileged: true, name: "break-glass" });

  const grants = [];
  for (const person of [...people, leaver]) grants.push(await makeGrant(testDb, { identityId: person.id, entitlementId: reader.id, grantedAt: daysAgo(300) }));
  grants.push(await makeGrant(testDb, { identityId: people[0]!.id, entitlementId: admin_.id, grantedAt: daysAgo(200) }));
  grants.push(await makeGrant(testDb, { identityId: people[1]!.id, entitlementId: eligible.id, kind: "eligible", grantedAt: daysAgo(100) }));
  grants.push(await makeGrant(testDb, { identityId: bot.id, entitlementId: admin_.id, grantedAt: daysAgo(50) }));
  const [readerGrant, , , , , , adminGrant, eligibleGrant] = grants;

  for (const [i, grant] of grants.slice(0, 4).entries()) {
    for (const d of [2, 9, 16, 23, 30, 37].slice(0, 6 - i)) {
      await testDb
        .insert(usageEvents)
        .values({ source: "test", sourceEventId: `${grant.id}-${d}`, kind: "sign_in", action: "login", occurredAt: daysAgo(d), grantId: grant.id, identityId: grant.identityId });
    }
  }
  await testDb.insert(usageEvents).values([
    {
      source: "test",
      sourceEventId: `${readerGrant!.id}-same-day`,
      kind: "sign_in",
      action: "login",
      occurredAt: new Date(daysAgo(2).getTime() + 3_600_000),
      grantId: readerGrant!.id,
      identityId: readerGrant!.identityId,
    },
    { source: "test", sourceEventId: `${readerGrant!.id}-old`, kind: "sign_in", action: "login", occurredAt: daysAgo(200), grantId: readerGrant!.id, identityId: readerGrant!.identityId },
  ]);
  for (let n = 0; n < 24; n += 1) {
    await makeSession(testDb, { grantId: adminGrant!.id, identityId: adminGrant!.identityId, startedAt: daysAgo(1 + Math.floor(n / 2) * 3), minutes: 10 + n, target: `db-${n}` });
  }
  await makeSession(testDb, { grantId: adminGrant!.id, identityId: adminGrant!.identityId, startedAt: daysAgo(120), minutes: 60 });
  for (const d of [5, 40, 150]) {
    await makeActivation(testDb, { grantId: eligibleGrant!.id, identityId: eligibleGrant!.identityId, startsAt: daysAgo(d), endsAt: new Date(daysAgo(d).getTime() + 3_600_000) });
  }
  await makeSession(testDb, { grantId: eligibleGrant!.id, identityId: eligibleGrant!.identityId, startedAt: daysAgo(5), minutes: 30 });
  for (const [n, status] of (["open", "resolved", "open"] as const).entries()) {
    await testDb.insert(findings).values({
      kind: "unused_standing_privilege",
      severity: n === 2 ? "high" : "medium",
      status,
      dedupeKey: `${adminGrant!.id}-${n}`,
      grantId: adminGrant!.id,
      identityId: adminGrant!.identityId,
      reason: `finding ${n}`,
      firstSeenAt: daysAgo(10),
      lastSeenAt: daysAgo(1),
    });
  }
  return { admin, fallback, manager, app, grants, readerGrant: readerGrant!, adminGrant: adminGrant!, eligibleGrant: eligibleGrant! };
}

type Org = Awaited<ReturnType<typeof organisation>>;

async function draft(org: Org, name = "Launch test") {
  const actor = await actorFor(testDb, org.admin.id);
  const { campaignId } = await createCampaign(deps, actor, createCampaignInput.parse({ name, scope: { applicationIds: [org.app.id] }, reviewerRule: "manager", fallbackReviewerId: org.fallback.id }));
  await launchCampaign(deps, actor, { campaignId });
  return campaignId;
}

const itemsOf = (campaignId: string) => testDb.select().from(reviewItems).where(eq(reviewItems.campaignId, campaignId));

/** What is left of a launch's working set. */
async function workingSet(campaignId: string) {
  const [grants] = await testDb
    .select({ n: sql<number>`count(*)::int` })
    .from(launchGrants)
    .where(eq(launchGrants.campaignId, campaignId));
  const [peers] = await testDb
    .select({ n: sql<number>`count(*)::int` })
    .from(launchPeerStats)
    .where(eq(launchPeerStats.campaignId, campaignId));
  return { grants: grants!.n, peers: peers!.n };
}

describe("launch working set", () => {
  it("gives each item the evidence, reviewer and recommendation the single-item path gives (second stages, ad-hoc reviews)", async () => {
    const org = await organisation();
    // A decision in an earlier campaign: the evidence lists it.
    const earlier = await draft(org, "Earlier review");
    await runLaunch(deps, { campaignId: earlier });
    const [decided] = (await itemsOf(earlier)).filter((i) => i.grantId === org.readerGrant.id);
    await decideItems(deps, await actorFor(testDb, org.manager.id), decideItemsInput.parse({ items: [{ itemId: decided!.id, version: decided!.version }], decision: "certify" }));

    clock = new Date(clock.getTime() + DAY);
    const campaignId = await draft(org);
    await runLaunch(deps, { campaignId, slice: 2 });
    const [campaign] = await testDb.select().from(campaigns).where(eq(campaigns.id, campaignId));
    const launched = await itemsOf(campaignId);
    expect(launched).toHaveLength(org.grants.length);
    expect(await workingSet(campaignId)).toEqual({ grants: 0, peers: 0 });

    // The same grants through the single-item path, at the same instant, into a campaign of their own.
    const [single] = await testDb.insert(campaigns).values({ name: "Single items", scope: {}, reviewerRule: "manager", status: "active", startsAt: campaign!.startsAt }).returning();
    await testDb.transaction((tx) =>
      insertReviewItems(tx, {
        campaignId: single!.id,
        stage: 1,
        rule: "manager",
        namedReviewerIds: [],
        fallbackId: org.fallback.id,
        ownerId: campaign!.createdById,
        windowDays: campaign!.windowDays,
        dueAt: campaign!.dueAt,
        at: campaign!.startsAt!,
        items: org.grants.map((g) => ({ grantId: g.id, subjectKey: g.id })),
      }),
    );
    const byGrant = new Map((await itemsOf(single!.id)).map((i) => [i.grantId, i]));
    const pick = (i: (typeof launched)[number]) => ({
      evidence: i.evidence,
      recommendation: i.recommendation,
      reason: i.recommendationReason,
      reviewerId: i.reviewerId,
      reviewerReason: i.reviewerReason,
    });
    for (const item of launched) expect(pick(item)).toEqual(pick(byGrant.get(item.grantId)!));

    // ...and that evidence is the real thing, not two empty snapshots agreeing.
    const evidence = (grantId: string) => evidenceOf(launched.find((i) => i.grantId === grantId)!);
    expect(evidence(org.readerGrant.id).usage).toMatchObject({ usageDays: 6, lastUsedAt: expect.stringMatching(/^2026-05-30T10:00:00/) });
    expect(evidence(org.readerGrant.id).previousDecisions).toMatchObject([{ decision: "certify", campaignId: earlier }]);
    expect(evidence(org.adminGrant.id).usage).toMatchObject({ sessionCount: 24 });
    expect(evidence(org.adminGrant.id).usage.sessions).toHaveLength(20);
    expect(
      evidence(org.adminGrant.id)
        .findings.map((f) => f.reason)
        .sort(),
    ).toEqual(["finding 0", "finding 2"]);
    expect(evidence(org.eligibleGrant.id).usage).toMatchObject({ activations: 2, sessionCount: 1, usageDays: 1, privilegedHours: 0.5 });
  });

  it("resumes an interrupted launch with what its working set still holds, snapshotting every grant once", async () => {
    const org = await organisation();
    const campaignId = await draft(org);
    // The job dies in its fourth transaction (the working set, the peer counts and one slice are committed).
    let transactions = 0;
    const dying = new Proxy(testDb, {
      get(target, prop, receiver) {
        if (prop !== "transaction") return Reflect.get(target, prop, receiver);
        return (fn: Parameters<typeof testDb.transaction>[0]) => {
          transactions += 1;
          if (transactions === 4) return Promise.reject(new Error("connection lost"));
          return target.transaction(fn);
        };
      },
    });
    const crashing: Deps = { ...deps, db: dying };
    await expect(runLaunch(crashing, { campaignId, slice: 3, workers: 1 })).rejects.toThrow("connection lost");
    const [halfway] = await testDb.select().from(campaigns).where(eq(campaigns.id, campaignId));
    expect(halfway).toMatchObject({ status: "launching", itemCount: 3 });
    expect(await workingSet(campaignId)).toMatchObject({ grants: org.grants.length - 3 });

    await runLaunch(deps, { campaignId, slice: 3 });
    const [done] = await testDb.select().from(campaigns).where(eq(campaigns.id, campaignId));
    const items = await itemsOf(campaignId);
    expect(done).toMatchObject({ status: "active", itemCount: org.grants.length });
    expect(new Set(items.map((i) => i.grantId)).size).toBe(org.grants.length);
    expect(items).toHaveLength(org.grants.length);
    expect(await workingSet(campaignId)).toEqual({ grants: 0, peers: 0 });
  });

  it("snapshots every grant once when two runs of the launch job overlap, and announces the launch once", async () => {
    const org = await organisation();
    const campaignId = await draft(org);
    await Promise.all([runLaunch(deps, { campaignId, slice: 2 }), runLaunch(deps, { campaignId, slice: 2 })]);
    const [done] = await testDb.select().from(campaigns).where(eq(campaigns.id, campaignId));
    const items = await itemsOf(campaignId);
    expect(done).toMatchObject({ status: "active", itemCount: org.grants.length });
    expect(items).toHaveLength(org.grants.length);
    expect(new Set(items.map((i) => i.grantId)).size).toBe(org.grants.length);
    expect(await workingSet(campaignId)).toEqual({ grants: 0, peers: 0 });
    const announced = await testDb
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, campaignId), eq(auditEvents.action, "campaign.launched")));
    expect(announced).toHaveLength(1);
  });
});

describe("launch announcement", () => {
  it("tells each reviewer of the launched items, and nobody else, once", async () => {
    const org = await organisation();
    const campaignId = await draft(org);
    await runLaunch(deps, { campaignId, slice: 4 });
    const reviewers = new Set((await itemsOf(campaignId)).flatMap((i) => (i.reviewerId ? [i.reviewerId] : [])));
    expect(reviewers).toEqual(new Set([org.manager.id, org.fallback.id]));
    const told = await testDb
      .select({ to: notifications.recipientId })
      .from(notifications)
      .where(and(eq(notifications.kind, "campaign.launched"), eq(notifications.link, `/reviews?campaign=${campaignId}`)));
    expect(told.map((n) => n.to).sort()).toEqual([...reviewers].sort());
  });
});

describe("review item references", () => {
  it("refuses an item, inserted or updated, that names a grant, identity, entitlement or reviewer that does not exist", async () => {
    const org = await organisation();
    const [campaign] = await testDb.insert(campaigns).values({ name: "References", scope: {}, reviewerRule: "manager", status: "active" }).returning();
    const grant = org.readerGrant;
    const item = { campaignId: campaign!.id, grantId: grant.id, subjectKey: grant.id, identityId: grant.identityId, entitlementId: grant.entitlementId, reviewerId: org.manager.id };
    const missing = "00000000-0000-4000-8000-000000000000";
    const refused = (promise: Promise<unknown>, column: string) => expect(promise).rejects.toMatchObject({ cause: { code: "23503", message: `review_items: ${column} ${missing} does not exist` } });

    await refused(testDb.insert(reviewItems).values({ ...item, grantId: missing }), "grant_id");
    await refused(testDb.insert(reviewItems).values({ ...item, identityId: missing }), "identity_id");
    await refused(testDb.insert(reviewItems).values({ ...item, entitlementId: missing }), "entitlement_id");
    await refused(testDb.insert(reviewItems).values({ ...item, originalReviewerId: missing }), "original_reviewer_id");
    const [written] = await testDb.insert(reviewItems).values(item).returning();
    await refused(testDb.update(reviewItems).set({ reviewerId: missing }).where(eq(reviewItems.id, written!.id)), "reviewer_id");
    // An item without a grant (its grant id cleared) or a reviewer is still an item.
    await testDb.update(reviewItems).set({ grantId: null, reviewerId: null }).where(eq(reviewItems.id, written!.id));
  });
});
