import { sql } from "drizzle-orm";
import { makeNonHuman } from "@/lib/testing/factories";
import { expect, test } from "../fixtures/test";

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test.describe("drift findings", () => {
  test("an admin recomputes, finds an ownerless service account, and accepts it as an exception until a date", async ({ page, signIn, person, db }) => {
    const nhi = await makeNonHuman(db, { ownerId: null, displayName: `svc-e2e-${Date.now()}` });
    const alex = await person("admin");
    await signIn.signInWithIdentityProvider(alex.email);
    await page.getByRole("link", { name: "Findings" }).click();
    await expect(page.getByRole("heading", { name: "Findings" })).toBeVisible();

    await page.getByRole("button", { name: "Recompute now" }).click();
    await expect(page.getByText("Findings recomputed")).toBeVisible();
    await page.getByLabel("Kind").selectOption({ label: "Non-human identity without owner" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    const row = page.getByRole("row", { name: new RegExp(nhi.displayName) });
    await expect(row.getByText(`${nhi.displayName} (service account) has no owner.`)).toBeVisible();
    await row.getByRole("link", { name: "Non-human identity without owner" }).click();

    await expect(page.getByRole("heading", { name: "Non-human identity without owner" })).toBeVisible();
    await expect(page.getByText("The fix is an owner, not a revocation")).toBeVisible();
    const until = inDays(30);
    await page.getByLabel("Exception ends on").fill(until);
    await page.getByLabel(/Why the risk is acceptable/).fill("Decommissioned with the old BI server at the end of the quarter");
    await page.getByRole("button", { name: "Accept as exception" }).click();
    await expect(page.getByText("Accepted as an exception.")).toBeVisible();
    await expect(page.getByText(`Accepted until ${until}`).first()).toBeVisible();

    const [finding] = await db.execute<{ id: string; status: string; accepted_by_id: string; accept_reason: string }>(sql`
      select id, status, accepted_by_id, accept_reason from findings where dedupe_key = ${`nhi_no_owner:${nhi.id}`}`);
    expect(finding).toMatchObject({ status: "accepted", accepted_by_id: alex.id, accept_reason: "Decommissioned with the old BI server at the end of the quarter" });
    const [audit] = await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_events where action = 'finding.accepted' and entity_id = ${finding!.id}`);
    expect(audit!.n).toBe(1);

    // The accepted finding leaves the default (open) list and shows under "Accepted".
    await page.goto(`/findings?kind=nhi_no_owner&status=accepted`);
    await expect(page.getByRole("row", { name: new RegExp(nhi.displayName) })).toBeVisible();
  });

  test("an auditor reads a finding but cannot accept it or recompute; an employee cannot open it", async ({ page, signIn, person, db }) => {
    const nhi = await makeNonHuman(db, { ownerId: null, displayName: `svc-e2e-audit-${Date.now()}` });
    const [{ id }] = (await db.execute<{ id: string }>(sql`
      insert into findings (kind, severity, dedupe_key, identity_id, reason, first_seen_at, last_seen_at)
      values ('nhi_no_owner', 'medium', ${`nhi_no_owner:${nhi.id}`}, ${nhi.id}, ${`${nhi.displayName} (service account) has no owner.`}, now(), now())
      returning id`)) as unknown as [{ id: string }];

    await signIn.signInWithIdentityProvider((await person("auditor")).email);
    await page.goto(`/findings/${id}`);
    await expect(page.getByText(`${nhi.displayName} (service account) has no owner.`)).toBeVisible();
    await expect(page.getByText("Auditors cannot accept findings.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Accept as exception" })).toHaveCount(0);
    await page.goto("/findings");
    await expect(page.getByRole("button", { name: "Recompute now" })).toHaveCount(0);

    await page.context().clearCookies();
    await signIn.signInWithIdentityProvider((await person("employee")).email);
    expect((await page.goto(`/findings/${id}`))?.status()).toBe(404);
  });
});
