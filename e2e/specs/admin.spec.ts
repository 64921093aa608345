import { sql } from "drizzle-orm";
import { expect, test } from "../fixtures/test";

test.describe("administration", () => {
  test("an admin creates an API token, sees its secret once, and revokes it", async ({ page, signIn, person, db }) => {
    const alex = await person("admin");
    await signIn.signInWithIdentityProvider(alex.email);
    await page.getByRole("link", { name: "Administration" }).click();
    await page.getByRole("link", { name: /API tokens/ }).click();

    await page.getByLabel("Name").fill("Teleport ingest");
    await page.getByLabel("Source (for scim and events:write)").fill("teleport-prod");
    await page.getByLabel(/^events:write/).check();
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = await page.getByLabel("New API token").textContent();
    expect(secret).toMatch(/^acc_/);
    const [stored] = await db.execute<{ n: number }>(sql`select count(*)::int as n from api_tokens where token_hash = ${secret}`);
    expect(stored!.n).toBe(0);

    await page.reload();
    await expect(page.getByText(secret!)).toHaveCount(0);
    await page.getByRole("button", { name: "Revoke Teleport ingest" }).click();
    await expect(page.getByRole("row", { name: /Teleport ingest/ }).getByText("Revoked")).toBeVisible();
  });

  test("an auditor can read the token list but has no control to change it", async ({ page, signIn, person }) => {
    const ada = await person("auditor");
    await signIn.signInWithIdentityProvider(ada.email);
    await page.goto("/admin/tokens");
    await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Create token" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Revoke/ })).toHaveCount(0);
    await page.goto("/admin/webhooks");
    await expect(page.getByRole("button", { name: "Subscribe" })).toHaveCount(0);
  });

  test("a manager cannot open administration", async ({ page, signIn, person }) => {
    const maya = await person("manager");
    await signIn.signInWithIdentityProvider(maya.email);
    await expect(page.getByRole("link", { name: "Administration" })).toHaveCount(0);
    expect((await page.goto("/admin/tokens"))?.status()).toBe(404);
  });
});
