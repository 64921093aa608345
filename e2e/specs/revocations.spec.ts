import { sql } from "drizzle-orm";
import { makeApplication, makeEntitlement, makeGrant, makePerson } from "@/lib/testing/factories";
import { SignInPage } from "../pages/sign-in-page";
import { expect, test } from "../fixtures/test";

test.describe("revocations", () => {
  test("an admin revokes a grant, the app owner confirms the manual removal, and the grant shows verified by attestation", async ({ page, signIn, person, db, browser }) => {
    const omar = await person("app_owner");
    const stamp = Date.now();
    const holder = await makePerson(db, { displayName: `Holder ${stamp}`, email: `holder-${stamp}@accord.example` });
    const app = await makeApplication(db, { ownerIds: [omar.id], name: `Ledger ${stamp}` });
    const entitlement = await makeEntitlement(db, { applicationId: app.id, name: `ledger-admin-${stamp}`, privileged: true });
    const grant = await makeGrant(db, { identityId: holder.id, entitlementId: entitlement.id });

    await signIn.signInWithIdentityProvider((await person("admin")).email);
    await page.goto(`/grants/${grant.id}`);
    await page.getByLabel(/Reason/).fill("Offboarding ticket HR-482");
    await page.getByRole("button", { name: `Revoke ${entitlement.name} from ${holder.displayName}` }).click();
    // The page re-renders with the revocation tracked in place of the form.
    await expect(page.getByRole("article", { name: /^Revocation requested/ })).toBeVisible();
    await expect(page.getByRole("button", { name: /^Revoke / })).toHaveCount(0);

    // The manual connector turns it into a task for the owner (the worker runs in the app).
    await expect.poll(async () => (await db.execute<{ status: string }>(sql`select status from revocations where grant_id = ${grant.id}`))[0]?.status, { timeout: 30_000 }).toBe("dispatched");
    await page.reload();
    await expect(page.getByText("Revocation sent, not verified")).toBeVisible();

    const ownerContext = await browser.newContext();
    const ownerPage = await ownerContext.newPage();
    await new SignInPage(ownerPage).signInWithIdentityProvider(omar.email);
    await ownerPage.getByRole("link", { name: "Revocations" }).click();
    const row = ownerPage.getByRole("row", { name: new RegExp(entitlement.name) });
    await row.getByLabel(/What did you do/).fill("Removed the role in the ledger console");
    await row.getByRole("button", { name: `Confirm ${entitlement.name} removed from ${holder.displayName}` }).click();
    await expect(row.getByText("Verified", { exact: true })).toBeVisible();
    await ownerContext.close();

    await page.reload();
    await expect(page.getByText("Revoked (verified)")).toBeVisible();
    await expect(page.getByText("attested by a person (not read back)").first()).toBeVisible();
    const [revocation] = await db.execute<{ status: string; verification: string }>(sql`select status, verification from revocations where grant_id = ${grant.id}`);
    expect(revocation).toMatchObject({ status: "verified", verification: "attestation" });
  });

  test("an auditor sees revocations but can neither revoke nor confirm", async ({ page, signIn, person, db }) => {
    const omar = await person("app_owner");
    const stamp = Date.now();
    const holder = await makePerson(db, { displayName: `Audited ${stamp}` });
    const app = await makeApplication(db, { ownerIds: [omar.id], name: `Payroll ${stamp}` });
    const entitlement = await makeEntitlement(db, { applicationId: app.id, name: `payroll-admin-${stamp}` });
    const grant = await makeGrant(db, { identityId: holder.id, entitlementId: entitlement.id });

    await signIn.signInWithIdentityProvider((await person("auditor")).email);
    await page.goto(`/grants/${grant.id}`);
    await expect(page.getByRole("heading", { name: new RegExp(entitlement.name) })).toBeVisible();
    await expect(page.getByRole("button", { name: /^Revoke / })).toHaveCount(0);
    await page.goto("/revocations");
    await expect(page.getByRole("heading", { name: "Revocations" })).toBeVisible();
    await expect(page.getByRole("button", { name: /^Confirm / })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Retry / })).toHaveCount(0);
  });
});
