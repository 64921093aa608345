import { sql } from "drizzle-orm";
import { makeApplication, makeEntitlement } from "@/lib/testing/factories";
import { findActionId } from "@/lib/launcher/action-id";
import { expect, test } from "../fixtures/test";

const UUID = "[0-9a-f-]{36}";

test.describe("an application owner runs a campaign", () => {
  test("Omar creates a privileged-only campaign over his application, sees the preview, launches it and watches it become active", async ({ page, signIn, person, db }) => {
    test.setTimeout(90_000);
    const omar = await person("app_owner");
    const alex = await person("admin");
    const [expected] = await db.execute<{ n: number }>(sql`
      select count(*)::int n from grants g join entitlements e on e.id = g.entitlement_id join applications a on a.id = e.application_id
      where a.name = 'AWS production' and e.privileged and g.status = 'active'`);
    expect(expected!.n, "the demo gives AWS production privileged grants").toBeGreaterThan(0);

    await signIn.signInWithIdentityProvider(omar.email);
    await expect(page.getByRole("heading", { name: `Hello, ${omar.displayName}` })).toBeVisible();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Campaigns" }).click();
    await expect(page.getByRole("heading", { name: "Campaigns", exact: true })).toBeVisible();
    await page.getByRole("link", { name: "New campaign" }).click();

    const name = `Privileged AWS review ${Date.now()}`;
    await page.getByLabel("Name", { exact: true }).fill(name);
    // Only his own applications are offered.
    await expect(page.getByRole("checkbox", { name: /^Google Workspace admin/ })).toHaveCount(0);
    await page.getByRole("checkbox", { name: /^AWS production/ }).check();
    await page.getByRole("checkbox", { name: "Privileged entitlements only" }).check();
    await expect(page.getByLabel("Repeat")).toHaveValue("quarterly");

    const preview = page.getByRole("region", { name: "Preview" });
    await expect(preview.getByTestId("preview-count")).toHaveText(expected!.n.toLocaleString("en"));
    await expect(preview).toContainText("Privileged grants in AWS production");

    // The fallback reviewer is required: saving without one names the field.
    await page.getByRole("button", { name: "Create draft" }).click();
    await expect(page.getByText("Choose a fallback reviewer: they take items the rule cannot assign.")).toBeVisible();
    await page.getByLabel("Fallback reviewer (required)").fill(alex.email);
    await page.getByLabel("Fallback reviewer (required)").press("Enter");
    await expect(page.getByRole("list", { name: "Fallback reviewer (required): chosen" })).toContainText(alex.displayName);

    await page.getByRole("button", { name: "Create draft" }).click();
    await expect(page).toHaveURL(new RegExp(`/campaigns/${UUID}$`));
    await expect(page.getByRole("heading", { name })).toBeVisible();
    await expect(page.getByText(`The scope selects ${expected!.n.toLocaleString("en")} active grant`)).toBeVisible();
    const campaignId = page.url().split("/").at(-1)!;

    await page.getByRole("button", { name: new RegExp(`^Launch \\(${expected!.n} item`) }).click();
    // The running Accord's job worker snapshots the items; the page polls until the campaign is active.
    await expect(page.getByRole("heading", { name: "Progress by reviewer" })).toBeVisible({ timeout: 45_000 });
    const [campaign] = await db.execute<{ status: string; item_count: number }>(sql`select status, item_count from campaigns where id = ${campaignId}`);
    expect(campaign).toEqual({ status: "active", item_count: expected!.n });

    const byApplication = page.getByRole("table", { name: "Progress by application" });
    await expect(byApplication.getByRole("row", { name: new RegExp(`AWS production 0/${expected!.n} decided`) })).toBeVisible();
    await expect(page.getByRole("table", { name: /Items by recommendation/ })).toBeVisible();
    const items = page.getByRole("table", { name: "Campaign items" });
    await expect(items.getByRole("link").first()).toHaveAttribute("href", new RegExp(`^/reviews/${UUID}$`));
    await expect(page.getByRole("button", { name: "Close campaign…" })).toBeVisible();

    // Back on the list, the campaign shows its progress.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Campaigns" }).click();
    await expect(page.getByRole("row", { name: new RegExp(`${name}.*Active.*0/${expected!.n} decided`) })).toBeVisible();
  });

  test("launching a campaign whose scope selects nothing is refused with the reason", async ({ page, signIn, person, db }) => {
    const omar = await person("app_owner");
    const alex = await person("admin");
    const app = await makeApplication(db, { ownerIds: [omar.id], name: `Omar's empty app ${Date.now()}` });
    await makeEntitlement(db, { applicationId: app.id, privileged: true });

    await signIn.signInWithIdentityProvider(omar.email);
    await expect(page.getByRole("heading", { name: `Hello, ${omar.displayName}` })).toBeVisible();
    await page.goto("/campaigns/new");
    await page.getByLabel("Name", { exact: true }).fill(`Empty ${Date.now()}`);
    await page.getByRole("checkbox", { name: new RegExp(`^${app.name}`) }).check();
    await expect(page.getByRole("region", { name: "Preview" })).toContainText("This scope selects no active grants: launching it will be refused.");
    await page.getByLabel("Fallback reviewer (required)").fill(alex.email);
    await page.getByRole("button", { name: "Find" }).last().click();
    await expect(page.getByRole("list", { name: "Fallback reviewer (required): chosen" })).toContainText(alex.displayName);
    await page.getByRole("button", { name: "Create draft" }).click();
    await expect(page).toHaveURL(new RegExp(`/campaigns/${UUID}$`));
    await page.getByRole("button", { name: /^Launch/ }).click();
    await expect(page.getByText("This campaign's scope selects no active grants: there is nothing to review.")).toBeVisible();
    const [campaign] = await db.execute<{ status: string }>(sql`select status from campaigns where id = ${page.url().split("/").at(-1)!}`);
    expect(campaign!.status).toBe("draft");
  });
});

test.describe("auditors read campaigns and change nothing", () => {
  test("an auditor sees the overview without create, launch, close or extend controls, and a forged close is refused", async ({ page, signIn, person, db }) => {
    const ada = await person("auditor");
    const alex = await person("admin");
    const [demo] = await db.execute<{ id: string; name: string }>(sql`
      select id, name from campaigns where created_by_id = ${alex.id} and status = 'active' and name like 'Q_ access review' order by created_at limit 1`);
    expect(demo, "the demo seed launches an active campaign").toBeDefined();

    await signIn.signInWithIdentityProvider(ada.email);
    await expect(page.getByRole("heading", { name: `Hello, ${ada.displayName}` })).toBeVisible();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Campaigns" }).click();
    await expect(page.getByRole("link", { name: "New campaign" })).toHaveCount(0);
    await page.getByRole("link", { name: demo!.name, exact: true }).click();
    await expect(page.getByRole("heading", { name: demo!.name })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Progress by reviewer" })).toBeVisible();
    await expect(page.getByText("Read-only: Auditors cannot change campaigns.")).toBeVisible();
    await expect(page.getByRole("button", { name: /Close|Extend|Launch/ })).toHaveCount(0);

    const direct = await page.goto("/campaigns/new");
    expect(direct?.status()).toBe(404);

    const forged = await page.request.post(`/campaigns/${demo!.id}`, {
      headers: { "Next-Action": findActionId("closeCampaignNow"), "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
      data: JSON.stringify([{ campaignId: demo!.id }]),
    });
    expect(await forged.text()).toContain("FORBIDDEN");
    const [after] = await db.execute<{ status: string }>(sql`select status from campaigns where id = ${demo!.id}`);
    expect(after!.status).toBe("active");
  });
});
