import { sql } from "drizzle-orm";
import { SignInPage } from "../pages/sign-in-page";
import { expect, test } from "../fixtures/test";

test.describe("revocable sessions", () => {
  test("when an admin suspends someone, their very next request is refused", async ({ page, signIn, person, db, browser }) => {
    const alex = await person("admin");
    // A person of the demo organisation who is not one of the demo sign-in people.
    const [target] = await db.execute<{ id: string; display_name: string; email: string }>(sql`
      select id, display_name, email from identities
      where kind = 'human' and status = 'active' and email like '%@accord.example' and email not like '%.manager@%'
        and email not in ('maya.manager@accord.example','omar.owner@accord.example','ada.auditor@accord.example','alex.admin@accord.example','erin.employee@accord.example')
        and not exists (select 1 from identity_roles r where r.identity_id = identities.id)
      order by display_name limit 1`);

    const theirContext = await browser.newContext();
    const theirPage = await theirContext.newPage();
    await new SignInPage(theirPage).signInWithIdentityProvider(target!.email);
    await expect(theirPage.getByRole("heading", { name: `Hello, ${target!.display_name}` })).toBeVisible();

    await signIn.signInWithIdentityProvider(alex.email);
    await page.goto(`/identities/${target!.id}`);
    await page.getByLabel("New status").selectOption("suspended");
    await page.getByLabel("Reason (recorded in the audit trail)").fill("Suspected credential theft");
    await page.getByRole("button", { name: "Change status" }).click();
    await expect(page.getByText("Status changed.")).toBeVisible();

    await theirPage.goto("/grants");
    await expect(theirPage).toHaveURL(/\/signin/);

    await page.goto(`/audit?entityType=identity&entityId=${target!.id}`);
    await expect(page.getByRole("cell", { name: "identity.status_changed" })).toBeVisible();
    await expect(page.getByRole("cell", { name: "Suspected credential theft" })).toBeVisible();
    await theirContext.close();
  });
});
