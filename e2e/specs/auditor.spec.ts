import { sql } from "drizzle-orm";
import { findActionId } from "@/lib/launcher/action-id";
import { expect, test } from "../fixtures/test";

test.describe("auditors read everything and change nothing", () => {
  test("an auditor sees no control that changes anything", async ({ page, signIn, person, db }) => {
    const ada = await person("auditor");
    const erin = await person("employee");
    await signIn.signInWithIdentityProvider(ada.email);
    await expect(page.getByRole("heading", { name: `Hello, ${ada.displayName}` })).toBeVisible();

    const [app] = await db.execute<{ id: string; name: string }>(sql`select id, name from applications where name = 'AWS production'`);
    await page.goto(`/applications/${app!.id}`);
    await expect(page.getByRole("heading", { name: "AWS production" })).toBeVisible();
    await expect(page.getByRole("button", { name: /^Mark / })).toHaveCount(0);

    await page.goto(`/identities/${erin.id}`);
    await expect(page.getByRole("heading", { name: erin.displayName })).toBeVisible();
    await expect(page.getByRole("button", { name: "Change status" })).toHaveCount(0);
    await expect(page.locator("form button[type=submit]").filter({ hasNotText: "Sign out" })).toHaveCount(0);

    // Auditors do read the whole trail.
    await page.getByRole("link", { name: "Audit trail" }).click();
    await page.getByRole("link", { name: "Verify the whole chain" }).click();
    await expect(page.getByRole("status")).toContainText("Chain intact");
  });

  test("a forged server action from an auditor is refused and changes nothing", async ({ page, signIn, person, db }) => {
    const ada = await person("auditor");
    const erin = await person("employee");
    const [entitlement] = await db.execute<{ id: string; privileged: boolean; application_id: string }>(
      sql`select e.id, e.privileged, e.application_id from entitlements e join applications a on a.id = e.application_id where a.name = 'AWS production' order by e.name limit 1`,
    );
    await signIn.signInWithIdentityProvider(ada.email);
    await expect(page.getByRole("heading", { name: `Hello, ${ada.displayName}` })).toBeVisible();

    const forge = async (exportName: string, args: Record<string, string>) => {
      const response = await page.request.post(`/applications/${entitlement!.application_id}`, {
        headers: { "Next-Action": findActionId(exportName), "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
        data: JSON.stringify([args]),
      });
      return { status: response.status(), body: await response.text() };
    };

    const privileged = await forge("markEntitlementPrivileged", { entitlementId: entitlement!.id, privileged: String(!entitlement!.privileged) });
    expect(privileged.body).toContain("FORBIDDEN");
    const suspend = await forge("changeIdentityStatus", { identityId: erin.id, status: "suspended", reason: "forged" });
    expect(suspend.body).toContain("FORBIDDEN");

    const [after] = await db.execute<{ privileged: boolean }>(sql`select privileged from entitlements where id = ${entitlement!.id}`);
    expect(after!.privileged).toBe(entitlement!.privileged);
    const [status] = await db.execute<{ status: string }>(sql`select status from identities where id = ${erin.id}`);
    expect(status!.status).toBe("active");
  });
});
