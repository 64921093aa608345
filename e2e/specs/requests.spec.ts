import { sql } from "drizzle-orm";
import type { Browser, Page } from "@playwright/test";
import { SignInPage } from "../pages/sign-in-page";
import { expect, test } from "../fixtures/test";

/** A signed-in page for one person, in a browser context of its own. */
async function as(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await new SignInPage(page).signInWithIdentityProvider(email);
  await expect(page.getByText("Signed in as")).toBeVisible();
  return page;
}

test.describe("access requests and just-in-time access", () => {
  test("an employee requests JIT admin, her manager and the app owner approve, and she activates it for one hour", async ({ browser, person, db }) => {
    test.setTimeout(120_000);
    const [erin, maya, omar] = [await person("employee"), await person("manager"), await person("app_owner")];

    // Erin finds the entitlement and asks for it; the form names the field at fault.
    const erinPage = await as(browser, erin.email);
    await erinPage.getByRole("link", { name: "Requests", exact: true }).click();
    await erinPage.getByRole("link", { name: "Request access" }).click();
    await erinPage.getByLabel("Entitlement or application").fill("AdministratorAccess");
    await erinPage.getByRole("button", { name: "Search" }).click();
    await erinPage.getByRole("link", { name: "Request AdministratorAccess in AWS production" }).click();
    const approvers = erinPage.getByRole("complementary", { name: "Who approves" });
    await expect(approvers).toContainText("Manager: Maya Manager");
    await expect(approvers).toContainText("Application owner: Omar Owner");
    await erinPage.getByLabel(/^Just-in-time \(JIT\)/).check();
    await erinPage.getByLabel("Justification").fill("short");
    await erinPage.getByRole("button", { name: "Request AdministratorAccess" }).click();
    await expect(erinPage.getByText("Say why you need this access (at least 10 characters).")).toBeVisible();
    await expect(erinPage.getByLabel("Justification")).toHaveAttribute("aria-invalid", "true");
    await erinPage.getByLabel("Justification").fill("Rotate the production KMS keys after INC-5120");
    await erinPage.getByLabel(/^Ticket/).fill("ENG-6001");
    await erinPage.getByRole("button", { name: "Request AdministratorAccess" }).click();
    await expect(erinPage.getByRole("heading", { name: "Erin Employee requests AdministratorAccess" })).toBeVisible();
    const requestId = erinPage.url().split("/requests/")[1]!;
    const timeline = erinPage.getByRole("list", { name: "Request timeline" });
    await expect(timeline).toContainText("Waiting for Maya Manager");
    await expect(timeline).toContainText("Will ask Omar Owner");

    // Nobody approves their own request: Erin's view of it in Approvals offers no decision.
    await erinPage.goto(`/approvals?request=${requestId}`);
    await expect(erinPage.getByText("You cannot decide this request: Nobody may approve their own request.")).toBeVisible();
    await expect(erinPage.getByRole("button", { name: /^Approve/ })).toHaveCount(0);

    // Maya decides from the keyboard.
    const mayaPage = await as(browser, maya.email);
    await mayaPage.getByRole("link", { name: "Approvals" }).click();
    await mayaPage.goto(`/approvals?tab=needs&request=${requestId}`);
    await expect(mayaPage.getByText("Erin Employee requests AdministratorAccess, just-in-time")).toBeVisible();
    await expect(mayaPage.getByRole("region", { name: "Request and evidence" })).toContainText("teammates hold it");
    // The key presses the same button the mouse would, once the page can act on it.
    await expect(mayaPage.getByRole("button", { name: "Approve Erin Employee's request for AdministratorAccess" })).toBeEnabled();
    await mayaPage.keyboard.press("a");
    await expect.poll(async () => (await db.execute<{ status: string }>(sql`select status from approval_steps where request_id = ${requestId} and position = 1`))[0]?.status).toBe("approved");

    // Omar approves the second step; the entitlement-owner step (him again) is passed.
    const omarPage = await as(browser, omar.email);
    await omarPage.goto(`/approvals?request=${requestId}`);
    await omarPage.getByRole("button", { name: "Approve Erin Employee's request for AdministratorAccess" }).click();
    await expect.poll(async () => (await db.execute<{ status: string }>(sql`select status from access_requests where id = ${requestId}`))[0]?.status).toBe("fulfilled");

    // Erin sees every step, opens the grant and activates it for one hour.
    await erinPage.goto(`/requests/${requestId}`);
    await expect(erinPage.getByText("Approved and granted")).toBeVisible();
    await expect(timeline).toContainText("Maya Manager");
    await expect(timeline).toContainText("Omar Owner");
    await erinPage.getByRole("link", { name: "Open the grant" }).click();
    await expect(erinPage.getByRole("heading", { name: "Just-in-time access" })).toBeVisible();
    await erinPage.getByLabel("For how long").selectOption({ label: "1 hour" });
    await erinPage.getByLabel("Why now").fill("Rotate the production KMS keys after INC-5120");
    await erinPage.getByLabel(/^Ticket/).fill("ENG-6001");
    await erinPage.getByRole("button", { name: "Activate AdministratorAccess" }).click();
    await expect(erinPage.getByText(/Active now, until/)).toBeVisible();
    const grantId = erinPage.url().split("/grants/")[1]!;
    const [window] = await db.execute<{ minutes: number; status: string; identity_id: string }>(
      sql`select extract(epoch from ends_at - starts_at)::int / 60 as minutes, status, identity_id from activations where grant_id = ${grantId}`,
    );
    expect(window).toEqual({ minutes: 60, status: "active", identity_id: erin.id });
    await expect(erinPage.getByRole("table", { name: "Activations" })).toContainText("Rotate the production KMS keys");

    // Someone else cannot open or end her window: Maya sees the grant but no controls.
    await mayaPage.goto(`/grants/${grantId}`);
    await expect(mayaPage.getByText(/Active now, until/)).toBeVisible();
    await expect(mayaPage.getByRole("button", { name: "End the window now" })).toHaveCount(0);
  });

  test("a break-glass activation pages the owners and opens a review someone else must decide", async ({ browser, person, db }) => {
    const omar = await person("app_owner");
    const [grant] = await db.execute<{ id: string }>(sql`
      select g.id from grants g join entitlements e on e.id = g.entitlement_id join applications a on a.id = e.application_id
      where g.identity_id = ${omar.id} and a.name = 'AWS production' and e.name = 'break-glass root' and g.kind = 'eligible' and g.status = 'active'`);
    const page = await as(browser, omar.email);
    await page.goto(`/grants/${grant!.id}`);
    await expect(page.getByRole("heading", { name: "Break-glass access" })).toBeVisible();
    await expect(page.getByText(/Someone other than you must review this use within 24 hours/)).toBeVisible();
    await page.getByLabel("Why now").fill("SSO is down and the payments API is failing over");
    await page.getByRole("button", { name: "Break glass: activate break-glass root now" }).click();
    await expect(page.getByText("Break-glass needs the incident it is for.")).toBeVisible();
    await page.getByLabel("Incident").fill("INC-9001");
    await page.getByLabel("For how long").selectOption({ label: "30 minutes" });
    await page.getByRole("button", { name: "Break glass: activate break-glass root now" }).click();
    await expect(page.getByText(/Active now, until/)).toBeVisible();

    const [activation] = await db.execute<{ id: string; incident_id: string; break_glass: boolean }>(
      sql`select id, incident_id, break_glass from activations where grant_id = ${grant!.id} and status = 'active'`,
    );
    expect(activation).toMatchObject({ incident_id: "INC-9001", break_glass: true });
    const [item] = await db.execute<{ reviewer_id: string | null; due_hours: number; status: string }>(sql`
      select reviewer_id, round(extract(epoch from due_at - snapshot_at) / 3600)::int as due_hours, status from review_items where subject_key = ${`break_glass:${activation!.id}`}`);
    expect(item).toMatchObject({ due_hours: 24, status: "pending" });
    expect(item!.reviewer_id).not.toBe(omar.id);
    const [paged] = await db.execute<{ n: number }>(sql`select count(*)::int as n from notifications where dedupe_key like ${`break_glass:${activation!.id}:%`}`);
    expect(paged!.n).toBeGreaterThan(0);
    await page.reload();
    await expect(page.getByRole("table", { name: "Review history" })).toContainText("Break-glass use reviews");
  });

  test("the app owner names an approver on the policy form, and requesters see them before asking", async ({ browser, person, db }) => {
    const [omar, maya, erin] = [await person("app_owner"), await person("manager"), await person("employee")];
    const [replication] = await db.execute<{ id: string }>(sql`
      select e.id from entitlements e join applications a on a.id = e.application_id where a.name = 'Postgres prod' and e.name = 'replication'`);
    const page = await as(browser, omar.email);
    await page.goto(`/entitlements/${replication!.id}`);
    await page.getByLabel("A named approver").check();
    await page.getByRole("button", { name: "Save the policy of replication" }).click();
    await expect(page.getByText("namedApproverIds: Name at least one approver for the named-approver step.")).toBeVisible();

    // A refused save loses nothing: the step ticked before the error is still ticked.
    await expect(page.getByLabel("A named approver")).toBeChecked();
    await page.getByLabel("Named approvers", { exact: true }).fill(maya.email);
    await page.getByRole("button", { name: "Find" }).click();
    await expect(page.getByRole("list", { name: "Named approvers: chosen" })).toContainText(maya.displayName);
    await page.getByRole("button", { name: "Save the policy of replication" }).click();
    await expect(page.getByText("Policy saved. New requests and activations follow it.")).toBeVisible();
    await page.reload();
    await expect(page.getByText(/then a named approver/)).toBeVisible();
    const [saved] = await db.execute<{ identity_id: string; added_by_id: string }>(sql`select identity_id, added_by_id from entitlement_approvers where entitlement_id = ${replication!.id}`);
    expect(saved).toEqual({ identity_id: maya.id, added_by_id: omar.id });

    // Erin sees who would approve, named approver included, before she submits.
    const erinPage = await as(browser, erin.email);
    await erinPage.goto(`/requests/new?entitlementId=${replication!.id}`);
    await expect(erinPage.getByRole("complementary", { name: "Who approves" })).toContainText(`Named approver: ${maya.displayName}`);
  });
});
