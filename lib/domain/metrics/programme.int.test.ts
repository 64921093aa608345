import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { campaigns, findings, reviewDecisions, reviewItems, revocations } from "@/db/schema";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { campaignMetrics, listCampaignItems } from "./campaigns";
import { listReviewerDecisions, reviewerDiligence } from "./diligence";
import { findingMetrics, listOpenFindings } from "./findings";
import { listRevocations, revocationMetrics } from "./revocations";

const now = new Date("2026-11-23T10:00:00Z");
const deps = testDeps(() => now);
const t = (iso: string) => new Date(`2026-11-${iso}Z`);
const period = { from: "2026-11-20", to: "2026-11-23" };

async function world() {
  const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
  const manager = await makePerson(testDb);
  const holder = await makePerson(testDb, { managerId: manager.id });
  const app = await makeApplication(testDb);
  const ents = await Promise.all([1, 2, 3, 4, 5].map(() => makeEntitlement(testDb, { applicationId: app.id, privileged: true })));
  const grantsMade = await Promise.all(ents.map((e) => makeGrant(testDb, { identityId: holder.id, entitlementId: e.id, grantedAt: t("01T00:00:00") })));
  return { auditor, manager, holder, app, ents, grants: grantsMade, filters: { ...period, applicationId: app.id } };
}

describe("campaign metrics", () => {
  it("completion per day, overdue items, and how often decisions follow the recommendation", async () => {
    const { auditor, manager, holder, ents, filters } = await world();
    const [campaign] = await testDb
      .insert(campaigns)
      .values({ name: "Q4 privileged", scope: {}, reviewerRule: "manager", status: "active", launchedAt: t("20T09:00:00"), dueAt: t("22T00:00:00") })
      .returning();
    const [cancelled] = await testDb
      .insert(campaigns)
      .values({ name: "Cancelled", scope: {}, reviewerRule: "manager", status: "cancelled", launchedAt: t("20T09:00:00") })
      .returning();
    const item = (entitlementId: string, values: Partial<typeof reviewItems.$inferInsert>, campaignId = campaign!.id) =>
      ({ campaignId, subjectKey: randomUUID(), identityId: holder.id, entitlementId, reviewerId: manager.id, snapshotAt: t("20T09:00:00"), ...values }) as typeof reviewItems.$inferInsert;
    await testDb
      .insert(reviewItems)
      .values([
        item(ents[0]!.id, { status: "decided", decision: "certify", recommendation: "certify", decidedAt: t("20T15:00:00"), decidedById: manager.id }),
        item(ents[1]!.id, { status: "decided", decision: "revoke", recommendation: "certify", decidedAt: t("22T08:00:00"), decidedById: manager.id }),
        item(ents[2]!.id, { recommendation: "revoke" }),
        item(ents[3]!.id, { status: "decided", decision: "reduce", recommendation: "reduce", decidedAt: t("23T09:00:00"), decidedById: manager.id }),
        item(ents[4]!.id, {}, cancelled!.id),
      ]);
    const m = await campaignMetrics(deps, auditor, filters);
    expect(m.completion).toEqual([
      { day: "2026-11-20", items: 4, decided: 1, completion: 25 },
      { day: "2026-11-21", items: 4, decided: 1, completion: 25 },
      { day: "2026-11-22", items: 4, decided: 2, completion: 50 },
      { day: "2026-11-23", items: 4, decided: 3, completion: 75 },
    ]);
    expect([m.items, m.overdue]).toEqual([4, 1]);
    expect(m.byRecommendation).toEqual([
      { recommendation: "certify", followed: 1, other: 1, followedShare: 50 },
      { recommendation: "revoke", followed: 0, other: 0, followedShare: null },
      { recommendation: "reduce", followed: 1, other: 0, followedShare: 100 },
      { recommendation: "none", followed: 0, other: 0, followedShare: null },
    ]);
    // Each figure equals the count of its list.
    for (const d of m.completion) {
      expect((await listCampaignItems(deps, auditor, filters, { view: "launched", day: d.day })).total).toBe(d.items);
      expect((await listCampaignItems(deps, auditor, filters, { view: "launched", day: d.day, decided: true })).total).toBe(d.decided);
    }
    expect((await listCampaignItems(deps, auditor, filters, { view: "overdue" })).total).toBe(1);
    expect((await listCampaignItems(deps, auditor, filters, { view: "recommendation", recommendation: "certify", followed: false })).rows.map((r) => r.decision)).toEqual(["revoke"]);
    // The holder's manager sees the same items (their report's access); a stranger none.
    expect((await campaignMetrics(deps, await actorFor(testDb, manager.id), filters)).items).toBe(4);
    expect((await campaignMetrics(deps, await actorFor(testDb, (await makePerson(testDb)).id), filters)).items).toBe(0);
  });
});

describe("revocation metrics", () => {
  it("median and p90 from decision to verified, per week and overall; failed and overdue now", async () => {
    const { auditor, grants, filters } = await world();
    const rev = (i: number, values: Partial<typeof revocations.$inferInsert>) =>
      ({ grantId: grants[i]!.id, cause: "review", connectorKind: "manual", idempotencyKey: randomUUID(), slaDueAt: t("30T00:00:00"), ...values }) as typeof revocations.$inferInsert;
    await testDb.insert(revocations).values([
      rev(0, { status: "verified", requestedAt: t("20T08:00:00"), verifiedAt: t("20T10:00:00") }), // 2 h, week of Monday 16th
      rev(1, { status: "verified", requestedAt: t("21T00:00:00"), verifiedAt: t("21T04:00:00") }), // 4 h, same week
      rev(2, { status: "verified", requestedAt: t("22T22:00:00"), verifiedAt: t("23T08:00:00") }), // 10 h, week of Monday 23rd
      rev(3, { status: "verified", requestedAt: t("10T00:00:00"), verifiedAt: t("12T00:00:00") }), // before the period
      rev(4, { status: "failed", requestedAt: t("21T00:00:00"), failedAt: t("21T01:00:00") }),
      rev(0, { status: "dispatched", requestedAt: t("21T00:00:00"), slaDueAt: t("22T00:00:00") }), // overdue
      rev(1, { status: "requested", requestedAt: t("23T09:00:00"), slaDueAt: t("24T09:00:00") }), // within its SLA
    ]);
    const m = await revocationMetrics(deps, auditor, filters);
    // Continuous percentiles of 2, 4, 10: median 4; p90 at rank 1.8: 4 + 0.8 × 6 = 8.8.
    expect([m.verified, m.medianHours, m.p90Hours, m.failed, m.overdue]).toEqual([3, 4, 8.8, 1, 1]);
    expect(m.weeks).toEqual([
      { week: "2026-11-16", verified: 2, medianHours: 3, p90Hours: 3.8 },
      { week: "2026-11-23", verified: 1, medianHours: 10, p90Hours: 10 },
    ]);
    expect((await listRevocations(deps, auditor, filters, { view: "verified" })).total).toBe(3);
    expect((await listRevocations(deps, auditor, filters, { view: "verified", week: "2026-11-16" })).rows.map((r) => r.hoursToVerified).sort()).toEqual([2, 4]);
    expect((await listRevocations(deps, auditor, filters, { view: "failed" })).total).toBe(1);
    expect((await listRevocations(deps, auditor, filters, { view: "overdue" })).rows.map((r) => r.status)).toEqual(["dispatched"]);
  });
});

describe("finding metrics", () => {
  it("open findings by kind and severity, and by age in whole days", async () => {
    const { auditor, app, holder, filters } = await world();
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    const finding = (kind: typeof findings.$inferInsert.kind, severity: typeof findings.$inferInsert.severity, firstSeenAt: Date, status: "open" | "resolved" | "accepted" = "open") =>
      ({ kind, severity, status, dedupeKey: randomUUID(), applicationId: app.id, identityId: holder.id, reason: `${kind} ${severity}`, firstSeenAt, lastSeenAt: now }) as typeof findings.$inferInsert;
    await testDb.insert(findings).values([
      finding("unused_standing_privilege", "high", daysAgo(2)),
      finding("unused_standing_privilege", "medium", daysAgo(8)), // 8 whole days: 8–30
      finding("sod_conflict", "critical", daysAgo(100)),
      finding("nhi_no_owner", "medium", daysAgo(7.9)), // 7 whole days: 0–7
      finding("sod_conflict", "critical", daysAgo(3), "resolved"),
      finding("sod_conflict", "high", daysAgo(3), "accepted"),
    ]);
    const m = await findingMetrics(deps, auditor, filters);
    expect(m.open).toBe(4);
    expect(m.byKind).toEqual([
      { kind: "unused_standing_privilege", critical: 0, high: 1, medium: 1, low: 0 },
      { kind: "nhi_no_owner", critical: 0, high: 0, medium: 1, low: 0 },
      { kind: "sod_conflict", critical: 1, high: 0, medium: 0, low: 0 },
    ]);
    expect(m.byAge).toEqual([
      { age: "0-7", critical: 0, high: 1, medium: 1, low: 0 },
      { age: "8-30", critical: 0, high: 0, medium: 1, low: 0 },
      { age: "31-90", critical: 0, high: 0, medium: 0, low: 0 },
      { age: "90+", critical: 1, high: 0, medium: 0, low: 0 },
    ]);
    expect((await listOpenFindings(deps, auditor, filters, { age: "0-7" })).total).toBe(2);
    expect((await listOpenFindings(deps, auditor, filters, { kind: "unused_standing_privilege", severity: "medium" })).total).toBe(1);
  });
});

describe("reviewer diligence", () => {
  it("per reviewer: median seconds, bulk share, certified share; admins and auditors only", async () => {
    const { auditor, manager, holder, ents, filters } = await world();
    const other = await makePerson(testDb);
    const [campaign] = await testDb
      .insert(campaigns)
      .values({ name: "Q4", scope: {}, reviewerRule: "manager", status: "active", launchedAt: t("20T00:00:00") })
      .returning();
    const items = await testDb
      .insert(reviewItems)
      .values(ents.map((e) => ({ campaignId: campaign!.id, subjectKey: randomUUID(), identityId: holder.id, entitlementId: e.id })))
      .returning();
    const decision = (i: number, actorId: string, values: Partial<typeof reviewDecisions.$inferInsert>) =>
      ({ reviewItemId: items[i]!.id, actorId, decision: "certify", createdAt: t("21T12:00:00"), ...values }) as typeof reviewDecisions.$inferInsert;
    await testDb.insert(reviewDecisions).values([
      decision(0, manager.id, { secondsSpent: 3, bulk: true }),
      decision(1, manager.id, { secondsSpent: 30 }),
      decision(2, manager.id, { decision: "revoke", secondsSpent: 60 }),
      decision(3, other.id, { secondsSpent: 2 }),
      decision(4, other.id, { secondsSpent: 1, undoneAt: t("21T13:00:00") }), // undone: left out
      decision(4, other.id, { decision: "reassign", reassignedToId: manager.id }), // not a decision on the access
      decision(4, other.id, { secondsSpent: 1, createdAt: t("19T12:00:00") }), // before the period
    ]);
    const m = await reviewerDiligence(deps, auditor, filters);
    expect(m.rows).toEqual([
      { reviewerId: manager.id, reviewerName: manager.displayName, decisions: 3, medianSeconds: 30, bulkShare: 33.3, certifiedShare: 66.7, quickCertifyShare: 50 },
      { reviewerId: other.id, reviewerName: other.displayName, decisions: 1, medianSeconds: 2, bulkShare: 0, certifiedShare: 100, quickCertifyShare: 100 },
    ]);
    expect((await listReviewerDecisions(deps, auditor, filters, manager.id)).total).toBe(3);
    await expect(reviewerDiligence(deps, await actorFor(testDb, manager.id), filters)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
