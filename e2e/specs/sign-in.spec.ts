import { directReportOf, personOutsideTeamOf } from "../fixtures/org";
import { expect, test } from "../fixtures/test";

test.describe("signing in through the identity provider", () => {
  test("a manager signs in over OIDC and sees only their own organisation", async ({ page, signIn, person, db }) => {
    const maya = await person("manager");
    const report = await directReportOf(db, maya.id);
    const outsider = await personOutsideTeamOf(db, maya.id);

    await signIn.signInWithIdentityProvider(maya.email);
    await expect(page.getByRole("heading", { name: `Hello, ${maya.displayName}` })).toBeVisible();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Identities" }).click();
    await expect(page.getByRole("link", { name: report.displayName, exact: true })).toBeVisible();
    await page.getByLabel("Search name or email").fill(outsider.displayName);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByText("No identity matches these filters.")).toBeVisible();
  });

  test("someone the inventory does not know is turned away with a reason", async ({ page, signIn }) => {
    await signIn.signInWithIdentityProvider("nobody@elsewhere.example");
    await expect(page).toHaveURL(/\/signin\?error=NotInInventory/);
    await expect(page.getByRole("alert").filter({ hasText: "Accord has no active identity with that email" })).toBeVisible();
  });

  test("the session cookie is hardened and worthless after signing out", async ({ page, context, signIn, person, browser }) => {
    const erin = await person("employee");
    await signIn.signInWithIdentityProvider(erin.email);
    await expect(page.getByRole("heading", { name: `Hello, ${erin.displayName}` })).toBeVisible();
    const cookie = (await context.cookies()).find((c) => c.name === "next-auth.session-token");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);

    // Replaying the copied cookie in a fresh browser context gets the sign-in page, not Erin's data.
    const replay = await browser.newContext();
    await replay.addCookies([cookie!]);
    const replayPage = await replay.newPage();
    await replayPage.goto("/identities");
    await expect(replayPage).toHaveURL(/\/signin/);
    await replay.close();
  });

  test("demo mode offers one person per role and signs them in with one click", async ({ page, signIn, person }) => {
    const alex = await person("admin");
    await signIn.open();
    for (const role of ["manager", "app owner", "auditor", "admin", "employee"]) {
      await expect(page.getByRole("button", { name: new RegExp(`${role}$`) })).toBeVisible();
    }
    await signIn.signInAsDemoPerson(alex.displayName);
    await expect(page.getByRole("link", { name: "Audit trail" })).toBeVisible();
  });
});
