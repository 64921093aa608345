import { sql } from "drizzle-orm";
import { findActionId } from "@/lib/launcher/action-id";
import { e2eState } from "../fixtures/state";
import { expect, test } from "../fixtures/test";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makePerson } from "@/lib/testing/factories";
import { SignInPage } from "../pages/sign-in-page";
import { createCampaign, createCampaignInput } from "@/lib/domain/campaigns/create-campaign";
import { launchCampaign } from "@/lib/domain/campaigns/launch-campaign";
import { JobQueue } from "@/lib/jobs/queue";

test.describe("a manager reviews their people's access", () => {
  test("reads the evidence, certifies one item, revokes another with a comment, and a forged decision is refused", async ({ page, signIn, person, db }) => {
    const admin = await person("admin");
    const maya = await person("manager");

    // An admin launches a campaign over Maya's organisation; the running Accord's job worker snapshots it.
    const jobs = new JobQueue(e2eState().databaseUrl);
    const deps = { db, now: () => new Date(), jobs };
    const adminActor = await actorFor(db, admin.id);
    const { campaignId } = await createCampaign(
      deps,
      adminActor,
      createCampaignInput.parse({ name: `Maya's organisation ${Date.now()}`, scope: { managerId: maya.id }, reviewerRule: "manager", removals: "on_decision", fallbackReviewerId: admin.id }),
    );
    // A second campaign over the same people, reviewed by the admin: items Maya must not decide.
    const { campaignId: adminCampaignId } = await createCampaign(
      deps,
      adminActor,
      createCampaignInput.parse({ name: `Admin's check ${Date.now()}`, scope: { managerId: maya.id }, reviewerRule: "named", namedReviewerIds: [admin.id], fallbackReviewerId: admin.id }),
    );
    for (const id of [campaignId, adminCampaignId]) await launchCampaign(deps, adminActor, { campaignId: id });
    await jobs.stop();
    for (const id of [campaignId, adminCampaignId]) {
      await expect.poll(async () => (await db.execute<{ status: string }>(sql`select status from campaigns where id = ${id}`))[0]!.status, { timeout: 30_000 }).toBe("active");
    }

    const mine = await db.execute<{ id: string; name: string; entitlement: string; approved_by: string | null; sessions: number; privileged: boolean }>(sql`
      select r.id, r.evidence -> 'identity' ->> 'name' name, r.evidence -> 'entitlement' ->> 'name' entitlement,
        r.evidence -> 'grant' ->> 'approvedBy' approved_by, (r.evidence -> 'usage' ->> 'sessionCount')::int sessions,
        (r.evidence -> 'entitlement' ->> 'privileged')::boolean privileged
      from review_items r where r.campaign_id = ${campaignId} and r.reviewer_id = ${maya.id}
      order by (r.evidence -> 'usage' ->> 'sessionCount')::int desc, r.id`);
    const withSessions = mine.find((r) => r.sessions > 0);
    const approved = mine.find((r) => r.approved_by !== null);
    const toRevoke = mine.find((r) => r.id !== withSessions?.id);
    expect(withSessions, "the demo gives Maya's reports privileged sessions").toBeDefined();
    expect(approved, "the demo gives Maya's reports approved requests").toBeDefined();

    await signIn.signInWithIdentityProvider(maya.email);
    await page.goto(`/reviews?campaignId=${campaignId}&item=${withSessions!.id}`);
    const evidence = page.getByLabel("Evidence");
    await expect(evidence.getByRole("heading", { name: `${withSessions!.name} · ${withSessions!.entitlement}` })).toBeVisible();
    const sessions = evidence.getByRole("table", { name: /Sessions that used this access/ });
    await expect(sessions.getByRole("row")).toHaveCount(Math.min(withSessions!.sessions, 20) + 1);
    await expect(sessions.getByRole("cell", { name: /^\d+ (h|min|s)/ }).first()).toBeVisible();

    await page.goto(`/reviews?campaignId=${campaignId}&item=${approved!.id}`);
    await expect(page.getByLabel("How this access exists").getByText(`${approved!.approved_by} on`).first()).toBeVisible();

    // Certify the item with sessions (a comment covers the case where the rules ask for one).
    await page.goto(`/reviews?campaignId=${campaignId}&item=${withSessions!.id}`);
    await page.getByLabel(/^Comment/).fill("Still on call for this system");
    await page.getByRole("button", { name: "Certify", exact: true }).click();
    await expect.poll(async () => (await db.execute<{ decision: string | null }>(sql`select decision from review_items where id = ${withSessions!.id}`))[0]!.decision).toBe("certify");
    const [scheduled] = await db.execute<{ due: string | null }>(sql`select g.next_review_due due from review_items r join grants g on g.id = r.grant_id where r.id = ${withSessions!.id}`);
    expect(scheduled!.due).not.toBeNull();

    // Revoke another: the first press asks for a reason, the second revokes.
    await page.goto(`/reviews?campaignId=${campaignId}&item=${toRevoke!.id}`);
    const revoke = page.getByRole("button", { name: `Revoke ${toRevoke!.entitlement} from ${toRevoke!.name}` });
    await revoke.click();
    await expect(page.getByText("Say why this access should be revoked")).toBeVisible();
    await page.getByLabel(/^Comment/).fill("Moved to the data team in October");
    await revoke.click();
    await expect
      .poll(
        async () =>
          (await db.execute<{ status: string | null }>(sql`select v.status from review_items r join revocations v on v.id = r.revocation_id where r.id = ${toRevoke!.id}`))[0]?.status ?? null,
      )
      .not.toBeNull();
    await page.goto(`/reviews/${toRevoke!.id}`);
    await expect(page.getByRole("status", { name: "Revocation progress" })).toContainText("Requested");
    await expect(page.getByRole("cell", { name: "Moved to the data team in October" })).toBeVisible();

    // A forged decision on an item assigned to someone else is refused and changes nothing.
    const [theirs] = await db.execute<{ id: string; version: number }>(sql`
      select id, version from review_items where campaign_id = ${adminCampaignId} and status = 'pending' limit 1`);
    const forged = await page.request.post("/reviews", {
      headers: { "Next-Action": findActionId("decideReview"), "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
      data: JSON.stringify([{ items: [{ itemId: theirs!.id, version: theirs!.version }], decision: "certify" }]),
    });
    expect(await forged.text()).toContain("This item is assigned to another reviewer.");
    const [after] = await db.execute<{ decision: string | null; version: number }>(sql`select decision, version from review_items where id = ${theirs!.id}`);
    expect(after).toEqual({ decision: null, version: theirs!.version });
  });

  test("j and k move through the queue from the keyboard (after the campaign above)", async ({ page, signIn, person }) => {
    const maya = await person("manager");
    await signIn.signInWithIdentityProvider(maya.email);
    await page.goto("/reviews");
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    await expect(rows.nth(0)).toHaveAttribute("aria-current", "true");
    await page.keyboard.press("j");
    await expect(rows.nth(1)).toHaveAttribute("aria-current", "true");
    await page.keyboard.press("k");
    await expect(rows.nth(0)).toHaveAttribute("aria-current", "true");
  });

  test("a manager revokes in a campaign and watches the item go to verified", async ({ page, signIn, person, db, browser }) => {
    const admin = await person("admin");
    const omar = await person("app_owner");
    const stamp = Date.now();
    const manager = await makePerson(db, { displayName: `Manager ${stamp}`, email: `manager-${stamp}@accord.example` });
    const holder = await makePerson(db, { displayName: `Holder ${stamp}`, managerId: manager.id });
    // A manual-connector application: its owner removes the access and attests to it.
    const app = await makeApplication(db, { ownerIds: [omar.id], name: `Ledger ${stamp}` });
    const entitlement = await makeEntitlement(db, { applicationId: app.id, name: `ledger-admin-${stamp}`, privileged: true });
    const grant = await makeGrant(db, { identityId: holder.id, entitlementId: entitlement.id });

    const jobs = new JobQueue(e2eState().databaseUrl);
    const deps = { db, now: () => new Date(), jobs };
    const adminActor = await actorFor(db, admin.id);
    const { campaignId } = await createCampaign(
      deps,
      adminActor,
      createCampaignInput.parse({ name: `Ledger review ${stamp}`, scope: { applicationIds: [app.id] }, reviewerRule: "manager", removals: "on_decision", fallbackReviewerId: admin.id }),
    );
    await launchCampaign(deps, adminActor, { campaignId });
    await jobs.stop();
    await expect
      .poll(async () => (await db.execute<{ id: string }>(sql`select id from review_items where campaign_id = ${campaignId} and reviewer_id = ${manager.id}`))[0]?.id, { timeout: 30_000 })
      .toBeTruthy();
    const [item] = await db.execute<{ id: string }>(sql`select id from review_items where campaign_id = ${campaignId} and grant_id = ${grant.id}`);

    await signIn.signInWithIdentityProvider(manager.email!);
    await page.goto(`/reviews/${item!.id}`);
    await page.getByLabel(/^Comment/).fill("Does not need ledger admin any more");
    await page.getByRole("button", { name: `Revoke ${entitlement.name} from ${holder.displayName}` }).click();
    const progress = page.getByRole("status", { name: "Revocation progress" });
    await expect(progress).toBeVisible();
    await expect.poll(async () => (await db.execute<{ status: string }>(sql`select status from revocations where grant_id = ${grant.id}`))[0]?.status, { timeout: 30_000 }).toBe("dispatched");
    await page.reload();
    await expect(progress).toContainText("Revocation: dispatched");

    const ownerContext = await browser.newContext();
    const ownerPage = await ownerContext.newPage();
    await new SignInPage(ownerPage).signInWithIdentityProvider(omar.email);
    await ownerPage.goto("/revocations");
    const row = ownerPage.getByRole("row", { name: new RegExp(entitlement.name) });
    await row.getByLabel(/What did you do/).fill("Removed the role in the ledger console");
    await row.getByRole("button", { name: `Confirm ${entitlement.name} removed from ${holder.displayName}` }).click();
    await expect(row.getByText("Verified", { exact: true })).toBeVisible();
    await ownerContext.close();

    await page.reload();
    await expect(progress).toContainText("Revocation: verified");
    await expect(page.getByText("Grant status").locator("..")).toContainText("revoked");
  });
});
