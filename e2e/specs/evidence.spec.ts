import os from "node:os";
import path from "node:path";
import { mkdtemp } from "node:fs/promises";
import { sql } from "drizzle-orm";
import { findActionId } from "@/lib/launcher/action-id";
import { e2eState } from "../fixtures/state";
import { expect, test } from "../fixtures/test";
import { actorFor } from "@/lib/testing/factories";
import { createCampaign, createCampaignInput } from "@/lib/domain/campaigns/create-campaign";
import { launchCampaign } from "@/lib/domain/campaigns/launch-campaign";
import { verifyBundle } from "@/lib/domain/evidence-export/verify-bundle";
import { JobQueue } from "@/lib/jobs/queue";

test.describe("auditor evidence", () => {
  test("an auditor exports a campaign bundle from the browser, and the download verifies offline", async ({ page, signIn, person, db }) => {
    const admin = await person("admin");
    const maya = await person("manager");
    const ada = await person("auditor");

    // An admin launches a campaign over Maya's organisation; the running Accord's job worker snapshots it.
    const jobs = new JobQueue(e2eState().databaseUrl);
    const deps = { db, now: () => new Date(), jobs };
    const adminActor = await actorFor(db, admin.id);
    const name = `Evidence e2e ${Date.now()}`;
    const { campaignId } = await createCampaign(deps, adminActor, createCampaignInput.parse({ name, scope: { managerId: maya.id }, reviewerRule: "manager", fallbackReviewerId: admin.id }));
    await launchCampaign(deps, adminActor, { campaignId });
    await jobs.stop();
    await expect.poll(async () => (await db.execute<{ status: string }>(sql`select status from campaigns where id = ${campaignId}`))[0]!.status, { timeout: 30_000 }).toBe("active");
    const [counted] = await db.execute<{ items: number }>(sql`select count(*)::int items from review_items where campaign_id = ${campaignId}`);
    const items = counted!.items;

    await signIn.signInWithIdentityProvider(ada.email);
    await expect(page.getByRole("heading", { name: `Hello, ${ada.displayName}` })).toBeVisible();
    await page.goto("/evidence");
    await page.getByRole("combobox", { name: "Campaign" }).selectOption(campaignId);
    await page.getByRole("button", { name: "Preview counts" }).click();
    await expect(page.getByRole("table", { name: /^Rows in campaign/ }).getByRole("row", { name: /^items / })).toContainText(String(items));

    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export and download" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^accord-evidence-campaign-[0-9a-f]{8}-\d{8}-\d{4}\.zip$/);
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), "accord-e2e-evidence-")), download.suggestedFilename());
    await download.saveAs(file);
    await expect(page.getByRole("status").filter({ hasText: /^Export complete/ })).toBeVisible({ timeout: 30_000 });

    // Offline: the bundle, and the public key the auditor fetched once.
    const publicKey = await (await page.request.get("/api/evidence/public-key")).text();
    const report = await verifyBundle(file, { publicKey });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.find((c) => c.name === "completeness")!.detail).toContain(`${items} items`);

    // The same check from the page, against this Accord's key.
    await page.getByLabel("Bundle to verify (.zip)").setInputFiles(file);
    await page.getByRole("button", { name: "Verify bundle" }).click();
    await expect(page.getByText(/^Verified: all \d+ checks passed\.$/)).toBeVisible({ timeout: 30_000 });

    // The export is in the audit trail, by Ada, and listed on the page with its hash.
    const [exported] = await db.execute<{ actor_id: string; n: number }>(sql`
      select actor_id, count(*) over ()::int n from audit_events where action = 'evidence.exported' and after -> 'scope' ->> 'campaignId' = ${campaignId}`);
    expect(exported).toMatchObject({ actor_id: ada.id, n: 1 });
    await page.reload();
    await expect(page.getByRole("table", { name: "Recent exports, newest first" }).getByRole("row").nth(1)).toContainText("completed");
    await page.getByRole("link", { name: "Audit trail" }).first().click();
    await page.getByLabel("Action").fill("evidence.");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page.getByRole("cell", { name: "evidence.exported" }).first()).toBeVisible();
  });

  test("auditors cannot change anything: forged campaign and review actions are refused and change nothing", async ({ page, signIn, person, db }) => {
    const ada = await person("auditor");
    const [campaign] = await db.execute<{ id: string; status: string; due_at: string | null }>(
      sql`select id, status, due_at::text from campaigns where status = 'active' and not ad_hoc order by created_at desc limit 1`,
    );
    const [item] = await db.execute<{ id: string; version: number; decision: string | null }>(sql`select id, version, decision from review_items where status = 'pending' limit 1`);
    // The demo seed launches an active campaign, so both exist on every run.
    expect(campaign, "an active campaign").toBeDefined();
    expect(item, "a pending review item").toBeDefined();
    await signIn.signInWithIdentityProvider(ada.email);
    await expect(page.getByRole("heading", { name: `Hello, ${ada.displayName}` })).toBeVisible();

    const forge = async (exportName: string, path: string, args: Record<string, unknown>) => {
      const response = await page.request.post(path, {
        headers: { "Next-Action": findActionId(exportName), "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
        data: JSON.stringify([args]),
      });
      return response.text();
    };
    expect(await forge("closeCampaignNow", "/campaigns", { campaignId: campaign!.id })).toContain("FORBIDDEN");
    expect(await forge("extendCampaignDue", "/campaigns", { campaignId: campaign!.id, days: 30 })).toContain("FORBIDDEN");
    expect(await forge("decideReview", "/reviews", { items: [{ itemId: item!.id, version: item!.version }], decision: "certify" })).toMatch(/FORBIDDEN|Auditors cannot decide/);

    const [after] = await db.execute<{ status: string; due_at: string | null }>(sql`select status, due_at::text from campaigns where id = ${campaign!.id}`);
    expect(after).toEqual({ status: campaign!.status, due_at: campaign!.due_at });
    const [itemAfter] = await db.execute<{ version: number; decision: string | null }>(sql`select version, decision from review_items where id = ${item!.id}`);
    expect(itemAfter).toEqual({ version: item!.version, decision: item!.decision });
    // The evidence page offers exports and downloads only: no control that changes the review.
    await page.goto("/evidence");
    await expect(page.getByRole("button", { name: /Close|Launch|Certify|Revoke/ })).toHaveCount(0);
  });
});
