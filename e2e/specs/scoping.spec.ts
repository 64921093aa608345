import { grantOf, personOutsideTeamOf } from "../fixtures/org";
import { expect, test } from "../fixtures/test";

test.describe("someone else's team", () => {
  test("a manager cannot open another team's identity or grant", async ({ page, signIn, person, db }) => {
    const maya = await person("manager");
    const outsider = await personOutsideTeamOf(db, maya.id);
    const outsiderGrant = await grantOf(db, outsider.id).catch(() => null);

    await signIn.signInWithIdentityProvider(maya.email);
    await expect(page.getByRole("heading", { name: `Hello, ${maya.displayName}` })).toBeVisible();

    const response = await page.goto(`/identities/${outsider.id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(page.getByText(outsider.displayName)).toHaveCount(0);

    if (outsiderGrant) {
      const grantResponse = await page.goto(`/grants/${outsiderGrant}`);
      expect(grantResponse?.status()).toBe(404);
    }
  });

  test("an employee cannot read the audit trail", async ({ page, signIn, person }) => {
    const erin = await person("employee");
    await signIn.signInWithIdentityProvider(erin.email);
    await expect(page.getByRole("heading", { name: `Hello, ${erin.displayName}` })).toBeVisible();
    await expect(page.getByRole("link", { name: "Audit trail" })).toHaveCount(0);
    const response = await page.goto("/audit");
    expect(response?.status()).toBe(404);
  });
});
