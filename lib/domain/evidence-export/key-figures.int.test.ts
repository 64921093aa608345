import { createWriteStream } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";
import { pipeline } from "node:stream/promises";
import { eq } from "drizzle-orm";
import yauzl from "yauzl";
import { describe, expect, it } from "vitest";
import { reviewItems, revocations } from "@/db/schema";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import type { Actor } from "@/lib/domain/access/actor";
import { createCampaign, createCampaignInput } from "@/lib/domain/campaigns/create-campaign";
import { decideItems } from "@/lib/domain/campaigns/decide-items";
import { launchCampaign, runLaunch } from "@/lib/domain/campaigns/launch-campaign";
import { campaignMetrics, listCampaignItems } from "@/lib/domain/metrics/campaigns";
import { listReviewerDecisions, reviewerDiligence } from "@/lib/domain/metrics/diligence";
import type { MetricFilters } from "@/lib/domain/metrics/filters";
import { listRevocations, revocationMetrics } from "@/lib/domain/metrics/revocations";
import { exportFilters } from "./key-figures";
import { openExport } from "./open-export";
import { exportRequestSchema, startExport } from "./start-export";

const HOUR = 3_600_000;
const launchedAt = new Date("2026-06-01T08:00:00Z");
let clock = launchedAt;
const deps = testDeps(() => clock);
const dir = await mkdtemp(path.join(os.tmpdir(), "accord-key-figures-"));

/** A campaign over one application, launched at 08:00: four items, three certified (two in bulk), one revoked and its removal verified. */
async function reviewedCampaign(admin: Actor, manager: { id: string }, name: string) {
  const people = [];
  for (let i = 0; i < 4; i++) people.push(await makePerson(testDb, { managerId: manager.id }));
  const app = await makeApplication(testDb);
  const role = await makeEntitlement(testDb, { applicationId: app.id, privileged: true });
  for (const p of people) await makeGrant(testDb, { identityId: p.id, entitlementId: role.id, grantedAt: new Date(launchedAt.getTime() - 100 * 24 * HOUR) });
  clock = launchedAt;
  const { campaignId } = await createCampaign(
    deps,
    admin,
    createCampaignInput.parse({ name: `${name} ${Math.random()}`, scope: { applicationIds: [app.id] }, reviewerRule: "manager", removals: "on_decision", fallbackReviewerId: admin.id }),
  );
  await launchCampaign(deps, admin, { campaignId });
  await runLaunch(deps, { campaignId });
  const items = await testDb.select().from(reviewItems).where(eq(reviewItems.campaignId, campaignId));
  const reviewer = await actorFor(testDb, manager.id);
  clock = new Date(launchedAt.getTime() + HOUR);
  await decideItems(deps, reviewer, { items: [{ itemId: items[0]!.id, version: items[0]!.version }], decision: "certify", comment: "On call", secondsSpent: 42 });
  await decideItems(deps, reviewer, { items: [{ itemId: items[1]!.id, version: items[1]!.version }], decision: "revoke", comment: "Moved teams", secondsSpent: 7 });
  await decideItems(deps, reviewer, { items: items.slice(2).map((i) => ({ itemId: i.id, version: i.version })), decision: "certify", comment: "Still needed", secondsSpent: 3 });
  await testDb
    .update(revocations)
    .set({ status: "verified", verifiedAt: new Date(launchedAt.getTime() + 3.5 * HOUR) })
    .where(eq(revocations.grantId, items[1]!.grantId!));
  return campaignId;
}

function zipEntry(file: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          // A read error must fail the test, not leave it waiting.
          buffer(stream).then((data) => resolve(data.toString("utf8")), reject);
        });
      });
      zip.on("end", () => reject(new Error(`${name} not in the bundle`)));
      zip.readEntry();
    });
  });
}

/** The summary's key figures table, figure name to the text shown. */
async function summaryFigures(actor: Actor, request: Record<string, unknown>) {
  const { exportId } = await startExport(deps, actor, exportRequestSchema.parse({ ...request, format: "bundle" }));
  const opened = await openExport(deps, actor, { exportId });
  const file = path.join(dir, `${exportId}.zip`);
  await pipeline(opened.body, createWriteStream(file));
  expect(await opened.done).toBe("completed");
  const html = await zipEntry(file, "summary.html");
  const table = html.slice(html.indexOf("<caption>Key figures</caption>"), html.indexOf("</table>", html.indexOf("<caption>Key figures</caption>")));
  return { html, figures: new Map([...table.matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)].map((m) => [m[1]!, m[2]!])) };
}

/** What the dashboard shows for the filter, each figure checked against the count of the list behind it. */
async function dashboard(actor: Actor, filters: MetricFilters) {
  const campaigns = await campaignMetrics(deps, actor, filters);
  const diligence = await reviewerDiligence(deps, actor, filters);
  const revocationsShown = await revocationMetrics(deps, actor, filters);
  const last = campaigns.completion.at(-1)!;
  expect((await listCampaignItems(deps, actor, filters, { view: "launched", day: last.day })).total).toBe(last.items);
  expect((await listCampaignItems(deps, actor, filters, { view: "launched", day: last.day, decided: true })).total).toBe(last.decided);
  expect((await listCampaignItems(deps, actor, filters, { view: "overdue" })).total).toBe(campaigns.overdue);
  for (const r of campaigns.byRecommendation) {
    expect((await listCampaignItems(deps, actor, filters, { view: "recommendation", recommendation: r.recommendation, followed: true })).total).toBe(r.followed);
    expect((await listCampaignItems(deps, actor, filters, { view: "recommendation", recommendation: r.recommendation, followed: false })).total).toBe(r.other);
  }
  expect((await listReviewerDecisions(deps, actor, filters, null)).total).toBe(diligence.all.decisions);
  expect((await listRevocations(deps, actor, filters, { view: "verified" })).total).toBe(revocationsShown.verified);
  expect((await listRevocations(deps, actor, filters, { view: "failed" })).total).toBe(revocationsShown.failed);
  expect((await listRevocations(deps, actor, filters, { view: "overdue" })).total).toBe(revocationsShown.overdue);
  return { last, campaigns, all: diligence.all, revocations: revocationsShown };
}

/** Each summary figure is the dashboard's, as the summary writes it. */
function expectSame(summary: Map<string, string>, d: Awaited<ReturnType<typeof dashboard>>) {
  const followed = d.campaigns.byRecommendation
    .filter((r) => r.recommendation !== "none")
    .map((r) => `${r.recommendation}: ${r.followed} of ${r.followed + r.other}${r.followedShare === null ? "" : ` (${r.followedShare}%)`}`)
    .join("; ");
  expect(Object.fromEntries(summary)).toEqual({
    "Review items launched by the end of the period": String(d.last.items),
    "Of those, decided by the end of the period": `${d.last.decided} (${d.last.completion}%)`,
    "Review items overdue now": String(d.campaigns.overdue),
    "Decisions made in the period (certify, revoke, reduce)": String(d.all.decisions),
    Certified: `${d.all.certified} (${d.all.certifiedShare}%)`,
    "Made in bulk": `${d.all.bulk} (${d.all.bulkShare}%)`,
    "Certifications in bulk or in under 5 seconds": `${d.all.quickCertifications} (${d.all.quickCertifyShare}%)`,
    "Median seconds per decision": d.all.medianSeconds!.toFixed(1),
    "Decisions that followed the recommendation, by what was recommended": followed,
    "Revocations verified in the period": String(d.revocations.verified),
    "Hours from decision to verified removal, median / 90th percentile": `${d.revocations.medianHours!.toFixed(1)} / ${d.revocations.p90Hours!.toFixed(1)}`,
    "Failed revocations now": String(d.revocations.failed),
    "Revocations past their SLA now": String(d.revocations.overdue),
  });
}

describe("the evidence summary's key figures", () => {
  it("are the dashboard's, for the campaign or the period exported: summary figure = chart figure = list count", async () => {
    const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
    const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
    const manager = await makePerson(testDb);
    const campaignId = await reviewedCampaign(admin, manager, "Q2 privileged");
    const otherId = await reviewedCampaign(admin, manager, "Q2 vendors");
    clock = new Date(launchedAt.getTime() + 5 * HOUR);

    // A campaign: the campaign filter, from its launch day to today.
    const filters = await exportFilters(deps, { kind: "campaign", campaignId });
    expect(filters).toEqual({ campaignId, from: "2026-06-01", to: "2026-06-01" });
    const shown = await dashboard(auditor, filters);
    expect([shown.last.items, shown.last.decided, shown.all.decisions, shown.all.certified, shown.all.bulk, shown.all.quickCertifications]).toEqual([4, 4, 4, 3, 2, 2]);
    expect([shown.all.medianSeconds, shown.revocations.verified, shown.revocations.medianHours]).toEqual([5, 1, 2.5]);
    const campaignSummary = await summaryFigures(auditor, { scope: "campaign", campaignId });
    expectSame(campaignSummary.figures, shown);
    expect(campaignSummary.html).toContain(`/dashboard?campaignId=${campaignId}&amp;from=2026-06-01&amp;to=2026-06-01`);

    // The other campaign's decisions are not this one's; a period takes both.
    expect((await dashboard(auditor, { ...filters, campaignId: otherId })).all.decisions).toBe(4);
    const period = await exportFilters(deps, { kind: "period", from: new Date("2026-06-01T00:00:00Z"), to: new Date("2026-06-02T00:00:00Z") });
    expect(period).toEqual({ from: "2026-06-01", to: "2026-06-01" });
    const both = await dashboard(auditor, period);
    expect([both.last.items, both.all.decisions, both.revocations.verified]).toEqual([8, 8, 2]);
    expectSame((await summaryFigures(admin, { scope: "period", from: "2026-06-01", to: "2026-06-01" })).figures, both);
  });

  it("cover at most the dashboard's longest period: the last days of a longer one", async () => {
    clock = new Date("2026-06-01T12:00:00Z");
    expect(await exportFilters(deps, { kind: "period", from: new Date("2020-01-01T00:00:00Z"), to: new Date("2026-01-01T00:00:00Z") })).toEqual({ from: "2024-01-01", to: "2025-12-31" });
    expect(await exportFilters(deps, { kind: "period", from: new Date("2027-01-01T00:00:00Z"), to: new Date("2027-02-01T00:00:00Z") })).toEqual({ from: "2026-06-01", to: "2027-01-31" });
  });
});
