import { sql } from "drizzle-orm";
import { expect, test } from "../fixtures/test";

const RULE = "Bills, payments and pay changes";

test.describe("separation-of-duties rules", () => {
  test("an admin creates a rule of three entitlements across two applications, sees who breaks it, and the finding the change recomputed", async ({ page, signIn, person, db }) => {
    const alex = await person("admin");
    await signIn.signInWithIdentityProvider(alex.email);
    await page.getByRole("link", { name: "Administration" }).click();
    await page.getByRole("link", { name: /Separation of duties/ }).click();
    await expect(page.getByRole("heading", { name: "Separation of duties" })).toBeVisible();

    const add = async (search: string, label: string) => {
      await page.getByLabel("Find an entitlement").fill(search);
      await page.getByLabel("Find an entitlement").press("Enter");
      await page.getByRole("button", { name: `Add ${label}` }).click();
      await expect(page.getByRole("list", { name: "Chosen entitlements" }).getByRole("button", { name: `Remove ${label}` })).toBeVisible();
    };
    await page.getByLabel("Name", { exact: true }).fill(RULE);
    await page.getByLabel("Severity of a conflict").selectOption({ label: "Critical" });
    await page.getByLabel(/Why the rule exists/).fill("Entering a bill, approving its payment and approving pay changes belong to three people.");
    await add("AP clerk", "AP clerk (NetSuite)");
    // One entitlement is no rule: the error is shown beside the picker and what was typed stays.
    await page.getByRole("button", { name: "Create rule" }).click();
    await expect(page.getByText("Choose at least two different entitlements.")).toBeVisible();
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue(RULE);

    await add("AP approver", "AP approver (NetSuite)");
    await add("Compensation approver", "Compensation approver (Workday)");
    await page.getByRole("button", { name: "Create rule" }).click();
    await expect(page.getByText("Rule created.")).toBeVisible();

    const row = page.getByRole("row", { name: new RegExp(RULE) });
    await expect(row.getByRole("link", { name: "AP clerk" })).toBeVisible();
    await expect(row.getByRole("link", { name: "Compensation approver" })).toBeVisible();
    await expect(row.getByText("in Workday")).toBeVisible();
    await expect(row.getByText("Critical")).toBeVisible();
    // Priya Shah holds AP clerk and AP approver; whoever else breaks it is counted in the same SQL.
    const [breakers] = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from (
        select g.identity_id from sod_rules r join sod_rule_entitlements m on m.rule_id = r.id
        join grants g on g.entitlement_id = m.entitlement_id and g.status in ('active', 'pending_revocation')
        where r.name = ${RULE} group by g.identity_id having count(distinct g.entitlement_id) > 1) x`);
    expect(breakers!.n).toBeGreaterThanOrEqual(1);
    await expect(row.getByText(new RegExp(`^${breakers!.n} (person|people)$`))).toBeVisible();
    const [audit] = await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_events where action = 'sod_rule.created' and actor_id = ${alex.id}`);
    expect(audit!.n).toBe(1);

    // Creating the rule queued a findings recompute: the conflict appears without anyone asking.
    await expect(async () => {
      await page.goto("/findings?kind=sod_conflict");
      await expect(page.getByText(new RegExp(`Priya Shah holds 2 of the 3 entitlements of the rule "${RULE}"`))).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });

    await page.goto("/admin/sod");
    await row.getByRole("link", { name: `Edit ${RULE}` }).click();
    await expect(page.getByRole("heading", { name: `Edit ${RULE}` })).toBeVisible();
    await page.getByRole("button", { name: "Remove Compensation approver (Workday)" }).click();
    await page.getByRole("button", { name: `Save ${RULE}` }).click();
    await expect(page.getByText("Saved.")).toBeVisible();
    await expect(row.getByText("in Workday")).toHaveCount(0);
    await expect(row.getByText("Critical")).toBeVisible();

    await page.getByRole("link", { name: "Done" }).click();
    await row.getByRole("button", { name: `Delete ${RULE}…` }).click();
    await page.getByRole("button", { name: `Yes, delete ${RULE}` }).click();
    await expect(page.getByRole("row", { name: new RegExp(RULE) })).toHaveCount(0);
  });

  test("an auditor reads the rules but has no control to change them", async ({ page, signIn, person }) => {
    const ada = await person("auditor");
    await signIn.signInWithIdentityProvider(ada.email);
    await page.goto("/admin/sod");
    await expect(page.getByRole("row", { name: /Enter, approve and post vendor bills/ })).toBeVisible();
    await expect(page.getByText("only admins change them")).toBeVisible();
    await expect(page.getByRole("button", { name: "Create rule" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: /^Edit / })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Delete / })).toHaveCount(0);
  });
});
