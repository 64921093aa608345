import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listCampaignItems } from "@/db/queries/campaigns";
import { campaigns, reviewItems } from "@/db/schema";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { browseCampaigns, campaignOverview, launchProgress, lookUpCampaignPerson, newCampaignOptions } from "./campaign-views";
import { closeCampaign, extendCampaign } from "./close-campaign";
import { createCampaign, createCampaignInput, previewCampaign } from "./create-campaign";
import { decideItems, decideItemsInput } from "./decide-items";
import { launchCampaign, runLaunch } from "./launch-campaign";

const DAY = 86_400_000;
let clock = new Date("2026-09-01T09:00:00Z");
const deps = testDeps(() => clock);
const noFilters = { items: {} };

/**
 * Two application owners with an application each, a manager with three reports holding access
 * in both, an admin, an auditor and an employee who owns nothing.
 */
async function world() {
  const admin = await makePerson(testDb, { roles: ["admin"] });
  const auditor = await makePerson(testDb, { roles: ["auditor"] });
  const employee = await makePerson(testDb);
  const manager = await makePerson(testDb, { displayName: "Manager Mo" });
  const reports = [await makePerson(testDb, { managerId: manager.id }), await makePerson(testDb, { managerId: manager.id }), await makePerson(testDb, { managerId: manager.id })];
  const omar = await makePerson(testDb);
  const olga = await makePerson(testDb);
  const leaver = await makePerson(testDb, { status: "leaver" });
  const aws = await makeApplication(testDb, { ownerIds: [omar.id], name: `AWS ${crypto.randomUUID().slice(0, 6)}` });
  const crm = await makeApplication(testDb, { ownerIds: [olga.id], name: `CRM ${crypto.randomUUID().slice(0, 6)}` });
  const awsAdmin = await makeEntitlement(testDb, { applicationId: aws.id, privileged: true, name: "aws-admin" });
  const awsRead = await makeEntitlement(testDb, { applicationId: aws.id, name: "aws-read" });
  const crmUser = await makeEntitlement(testDb, { applicationId: crm.id, name: "crm-user" });
  for (const person of reports) {
    for (const entitlement of [awsAdmin, awsRead, crmUser]) await makeGrant(testDb, { identityId: person.id, entitlementId: entitlement.id, grantedAt: new Date(clock.getTime() - 30 * DAY) });
  }
  const actors = {
    admin: await actorFor(testDb, admin.id),
    auditor: await actorFor(testDb, auditor.id),
    employee: await actorFor(testDb, employee.id),
    manager: await actorFor(testDb, manager.id),
    omar: await actorFor(testDb, omar.id),
    olga: await actorFor(testDb, olga.id),
  };
  return { admin, auditor, manager, reports, omar, olga, leaver, aws, crm, awsAdmin, actors };
}

async function launchedBy(actor: Awaited<ReturnType<typeof world>>["actors"]["omar"], input: Record<string, unknown>) {
  const { campaignId } = await createCampaign(deps, actor, createCampaignInput.parse({ name: "Quarterly", reviewerRule: "manager", ...input }));
  await launchCampaign(deps, actor, { campaignId });
  await runLaunch(deps, { campaignId, slice: 2 });
  return campaignId;
}

describe("who sees which campaigns", () => {
  it("shows admins and auditors every campaign, an application owner only the ones they created, and nobody else anything", async () => {
    const w = await world();
    const omars = await launchedBy(w.actors.omar, { scope: { applicationIds: [w.aws.id] }, fallbackReviewerId: w.admin.id });
    const olgas = await launchedBy(w.actors.olga, { scope: { applicationIds: [w.crm.id] }, fallbackReviewerId: w.admin.id });
    const ids = async (actor: typeof w.actors.admin) => (await browseCampaigns(deps, actor, {})).rows.map((r) => r.id);

    expect(await ids(w.actors.admin)).toEqual(expect.arrayContaining([omars, olgas]));
    expect(await ids(w.actors.auditor)).toEqual(expect.arrayContaining([omars, olgas]));
    expect(await ids(w.actors.omar)).toEqual([omars]);
    await expect(browseCampaigns(deps, w.actors.employee, {})).rejects.toBeInstanceOf(Forbidden);
    await expect(browseCampaigns(deps, w.actors.manager, {})).rejects.toBeInstanceOf(Forbidden);

    // Someone else's campaign, a made-up id and a malformed one are all simply "not found".
    await expect(campaignOverview(deps, w.actors.omar, { campaignId: olgas, ...noFilters })).rejects.toBeInstanceOf(NotFound);
    await expect(campaignOverview(deps, w.actors.manager, { campaignId: omars, ...noFilters })).rejects.toBeInstanceOf(NotFound);
    await expect(campaignOverview(deps, w.actors.admin, { campaignId: crypto.randomUUID(), ...noFilters })).rejects.toBeInstanceOf(NotFound);
    await expect(campaignOverview(deps, w.actors.admin, { campaignId: "not-a-uuid", ...noFilters })).rejects.toBeInstanceOf(NotFound);
    await expect(launchProgress(deps, w.actors.olga, { campaignId: omars })).rejects.toBeInstanceOf(NotFound);

    expect((await campaignOverview(deps, w.actors.omar, { campaignId: omars, ...noFilters })).manageRefusal).toBeNull();
    expect((await campaignOverview(deps, w.actors.admin, { campaignId: omars, ...noFilters })).manageRefusal).toBeNull();
    expect((await campaignOverview(deps, w.actors.auditor, { campaignId: omars, ...noFilters })).manageRefusal).toBe("Auditors cannot change campaigns.");
  });

  it("offers an application owner only their applications, and refuses auditors and people who own nothing", async () => {
    const w = await world();
    expect((await newCampaignOptions(deps, w.actors.omar)).applications.map((a) => a.id)).toEqual([w.aws.id]);
    expect((await newCampaignOptions(deps, w.actors.omar)).applications[0]!.privilegedEntitlements).toBe(1);
    expect((await newCampaignOptions(deps, w.actors.admin)).applications.map((a) => a.id)).toEqual(expect.arrayContaining([w.aws.id, w.crm.id]));
    await expect(newCampaignOptions(deps, w.actors.auditor)).rejects.toBeInstanceOf(Forbidden);
    await expect(newCampaignOptions(deps, w.actors.employee)).rejects.toBeInstanceOf(Forbidden);
  });

  it("finds people by exact email for campaign creators only, never leavers", async () => {
    const w = await world();
    const found = await lookUpCampaignPerson(deps, w.actors.omar, { email: w.manager.email!.toUpperCase() });
    expect(found).toMatchObject({ id: w.manager.id, name: "Manager Mo", reports: 3 });
    await expect(lookUpCampaignPerson(deps, w.actors.omar, { email: w.leaver.email! })).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { email: ["No active person has that email address."] },
    });
    await expect(lookUpCampaignPerson(deps, w.actors.omar, { email: "person-" })).rejects.toBeInstanceOf(Invalid);
    await expect(lookUpCampaignPerson(deps, w.actors.auditor, { email: w.manager.email! })).rejects.toBeInstanceOf(Forbidden);
    await expect(lookUpCampaignPerson(deps, w.actors.employee, { email: w.manager.email! })).rejects.toBeInstanceOf(Forbidden);
  });
});

describe("the campaign overview", () => {
  it("counts progress per reviewer and application, and recommendation against decision, in SQL", async () => {
    clock = new Date("2026-09-01T09:00:00Z");
    const w = await world();
    const campaignId = await launchedBy(w.actors.admin, { scope: { applicationIds: [w.aws.id, w.crm.id] }, fallbackReviewerId: w.admin.id, dueInDays: 10 });
    const items = await testDb.select().from(reviewItems).where(eq(reviewItems.campaignId, campaignId));
    expect(items).toHaveLength(9);
    const crmItems = items.filter((i) => (i.evidence as { entitlement: { name: string } }).entitlement.name === "crm-user");
    // The manager certifies the three CRM items (unprivileged, no comment needed) and revokes one AWS item.
    await decideItems(deps, w.actors.manager, decideItemsInput.parse({ items: crmItems.map((i) => ({ itemId: i.id, version: i.version })), decision: "certify" }));
    const awsItem = items.find((i) => i.entitlementId === w.awsAdmin.id)!;
    await decideItems(deps, w.actors.manager, decideItemsInput.parse({ items: [{ itemId: awsItem.id, version: awsItem.version }], decision: "revoke", comment: "Not needed" }));

    clock = new Date(clock.getTime() + 11 * DAY);
    const view = await campaignOverview(deps, w.actors.auditor, { campaignId, ...noFilters });
    expect(view.totals).toMatchObject({ total: 9, decided: 4, pending: 5, overdue: 5, unassigned: 0 });
    expect(view.byReviewer.rows).toEqual([{ id: w.manager.id, name: "Manager Mo", total: 9, decided: 4, pending: 5, overdue: 5 }]);
    expect(view.byApplication.rows).toEqual([
      { id: w.aws.id, name: w.aws.name, total: 6, decided: 1, pending: 5, overdue: 5 },
      { id: w.crm.id, name: w.crm.name, total: 3, decided: 3, pending: 0, overdue: 0 },
    ]);
    const expected = await testDb.execute<{ recommendation: string; decision: string; n: number }>(sql`
      select recommendation::text recommendation, coalesce(decision::text, 'undecided') decision, count(*)::int n
      from review_items where campaign_id = ${campaignId} group by 1, 2`);
    expect(view.matrix.sort((a, b) => `${a.recommendation}${a.decision}`.localeCompare(`${b.recommendation}${b.decision}`))).toEqual(
      [...expected].sort((a, b) => `${a.recommendation}${a.decision}`.localeCompare(`${b.recommendation}${b.decision}`)),
    );
    expect(view.matrix.reduce((n, c) => n + c.n, 0)).toBe(9);
    expect(view.matrix.filter((c) => c.decision === "certify").reduce((n, c) => n + c.n, 0)).toBe(3);
    expect(view.scopeText).toBe(`Grants in ${w.aws.name}, ${w.crm.name}`);

    // Overdue and decided filters, and keyset pages that together list every item once.
    expect((await campaignOverview(deps, w.actors.admin, { campaignId, items: { status: "overdue" } })).items.rows).toHaveLength(5);
    expect((await campaignOverview(deps, w.actors.admin, { campaignId, items: { status: "decided", reviewer: w.manager.id } })).items.rows).toHaveLength(4);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listCampaignItems>> = await listCampaignItems(testDb, { campaignId, at: clock, filters: { cursor, limit: 2 } });
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(items.map((i) => i.id).sort());
  });

  it("says how many grants a draft would review, and how far a launch has got", async () => {
    const w = await world();
    const input = createCampaignInput.parse({ name: "Privileged", reviewerRule: "app_owner", scope: { applicationIds: [w.aws.id], privilegedOnly: true }, fallbackReviewerId: w.admin.id });
    expect(await previewCampaign(deps, w.actors.omar, { scope: input.scope })).toEqual({ count: 3, description: `Privileged grants in ${w.aws.name}` });
    const { campaignId } = await createCampaign(deps, w.actors.omar, input);
    expect((await campaignOverview(deps, w.actors.omar, { campaignId, ...noFilters })).inScope).toBe(3);
    await launchCampaign(deps, w.actors.omar, { campaignId });
    expect(await launchProgress(deps, w.actors.omar, { campaignId })).toEqual({ status: "launching", itemCount: 0 });
    expect((await campaignOverview(deps, w.actors.auditor, { campaignId, ...noFilters })).inScope).toBe(3);
    await runLaunch(deps, { campaignId, slice: 2 });
    expect(await launchProgress(deps, w.actors.auditor, { campaignId })).toEqual({ status: "active", itemCount: 3 });
  });
});

describe("changing a campaign", () => {
  it("refuses auditors every change, answers other owners as if the campaign did not exist, and changes nothing", async () => {
    const w = await world();
    const campaignId = await launchedBy(w.actors.omar, { scope: { applicationIds: [w.aws.id] }, fallbackReviewerId: w.admin.id });
    const [before] = await testDb.select().from(campaigns).where(eq(campaigns.id, campaignId));
    for (const [actor, refusal] of [
      [w.actors.auditor, Forbidden],
      [w.actors.olga, NotFound],
    ] as const) {
      await expect(closeCampaign(deps, actor, { campaignId })).rejects.toBeInstanceOf(refusal);
      await expect(extendCampaign(deps, actor, { campaignId, days: 7 })).rejects.toBeInstanceOf(refusal);
      await expect(launchCampaign(deps, actor, { campaignId })).rejects.toBeInstanceOf(refusal);
    }
    const auditorsDraft = createCampaignInput.parse({ name: "Nope", reviewerRule: "manager", scope: { applicationIds: [w.aws.id] }, fallbackReviewerId: w.admin.id });
    await expect(createCampaign(deps, w.actors.auditor, auditorsDraft)).rejects.toBeInstanceOf(Forbidden);
    await expect(previewCampaign(deps, w.actors.auditor, { scope: auditorsDraft.scope })).rejects.toBeInstanceOf(Forbidden);
    const [after] = await testDb.select().from(campaigns).where(eq(campaigns.id, campaignId));
    expect(after).toEqual(before);

    // The owner may: extend moves the due date, close ends it.
    const { dueAt } = await extendCampaign(deps, w.actors.omar, { campaignId, days: 3 });
    expect(dueAt.getTime() - before!.dueAt!.getTime()).toBe(3 * DAY);
    await closeCampaign(deps, w.actors.omar, { campaignId });
    expect((await launchProgress(deps, w.actors.omar, { campaignId })).status).toBe("closed");
  });
});
