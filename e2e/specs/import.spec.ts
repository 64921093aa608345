import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { sql } from "drizzle-orm";
import { expect, test } from "../fixtures/test";

/** Chooses the kind and a file made in memory, then asks Accord to check it. */
async function upload(page: Page, name: string, csv: string) {
  await page.goto("/admin/import");
  await page.getByLabel("What the file holds").selectOption("identities");
  await page.getByLabel(/^File \(up to \d+ MB\)/).setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Check file" }).click();
  await expect(page).toHaveURL(/\/admin\/import\/[0-9a-f-]{36}$/);
}

test.describe("bulk import", () => {
  test("an admin uploads a CSV, sees the row error, fixes it, imports, and finds the identities", async ({ page, signIn, person, db }) => {
    const suffix = randomUUID().slice(0, 8);
    const source = `import:e2e-${suffix}`;
    const header = "external_id,source,type,display_name,email,department,manager_external_id";
    const good = `P1,${source},employee,Imported Manager ${suffix},manager-${suffix}@import.example,Imports,`;
    const report = (type: string) => `P2,${source},${type},Imported Report ${suffix},,Imports,P1`;

    const alex = await person("admin");
    await signIn.signInWithIdentityProvider(alex.email);
    await expect(page.getByRole("heading", { name: `Hello, ${alex.displayName}` })).toBeVisible();

    await upload(page, "people.csv", [header, good, report("employe")].join("\n"));
    await expect(page.getByRole("alert").filter({ hasText: "Nothing was imported." })).toBeVisible();
    const errors = page.getByRole("table", { name: "Errors in people.csv" });
    await expect(errors.getByRole("row")).toHaveCount(2);
    const errorRow = errors.getByRole("row").nth(1);
    await expect(errorRow.getByRole("cell").nth(0)).toHaveText("3");
    await expect(errorRow.getByRole("cell").nth(1)).toHaveText("type");
    await expect(errorRow.getByRole("cell").nth(2)).toContainText('"employe" is not one of: employee');
    const [before] = await db.execute<{ n: number }>(sql`select count(*)::int as n from identities where source = ${source}`);
    expect(before!.n).toBe(0);

    await upload(page, "people-fixed.csv", [header, good, report("employee")].join("\n"));
    const changes = page.getByRole("table", { name: "Changes the import will make" });
    await expect(
      changes
        .getByRole("row", { name: /identities/ })
        .getByRole("cell")
        .nth(1),
    ).toHaveText("2");
    await page.getByRole("button", { name: "Import 2 rows" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Imported 2 rows." })).toBeVisible();
    await expect(page.getByRole("table", { name: "Imported changes" })).toBeVisible();

    await page.getByRole("link", { name: "Open the identities list" }).click();
    await page.getByLabel("Search name or email").fill(`Imported Report ${suffix}`);
    await page.getByRole("button", { name: "Apply filters" }).click();
    const row = page.getByRole("row", { name: new RegExp(`Imported Report ${suffix}`) });
    await expect(row).toBeVisible();
    await expect(row).toContainText(`Imported Manager ${suffix}`);

    await page.goto("/admin/import");
    await expect(page.getByRole("table", { name: "Recent imports, newest first" }).getByRole("row", { name: /people-fixed\.csv/ })).toContainText(alex.displayName);
    const [audit] = await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_events where action = 'import.applied' and actor_id = ${alex.id}`);
    expect(audit!.n).toBeGreaterThanOrEqual(1);
  });

  test("someone who is not an admin cannot open the import page or its endpoints", async ({ page, signIn, person, db }) => {
    const erin = await person("employee");
    await signIn.signInWithIdentityProvider(erin.email);
    await expect(page.getByRole("heading", { name: `Hello, ${erin.displayName}` })).toBeVisible();

    const response = await page.goto("/admin/import");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();

    const [batch] = await db.execute<{ id: string }>(sql`select id from import_batches order by created_at desc limit 1`);
    if (batch) {
      expect((await page.goto(`/admin/import/${batch.id}`))?.status()).toBe(404);
      expect((await page.request.get(`/api/v1/import/batches/${batch.id}`)).status()).toBe(404);
    }
    const upload = await page.request.post("/api/v1/import/batches", {
      multipart: { kind: "identities", file: { name: "x.csv", mimeType: "text/csv", buffer: Buffer.from("external_id,type,display_name\nX,employee,X\n") } },
    });
    expect(upload.status()).toBe(404);
    // Templates are documentation: anyone signed in may download them.
    const template = await page.request.get("/api/v1/import/templates/identities");
    expect(template.status()).toBe(200);
    expect((await template.text()).split("\r\n")[0]).toContain("external_id,source,type,display_name");
  });
});
