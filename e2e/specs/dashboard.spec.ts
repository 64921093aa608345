import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { loadActiveActorByEmail } from "@/lib/domain/access/load-actor";
import type { Deps } from "@/lib/domain/deps";
import { standingPrivilegeOverTime } from "@/lib/domain/metrics/availability";
import type { MetricFilters } from "@/lib/domain/metrics/filters";
import { expect, test } from "../fixtures/test";

/** The figure the dashboard should show, computed by the metric SQL directly against the same database. */
async function standingToday(db: Db, email: string, filters: MetricFilters) {
  const actor = (await loadActiveActorByEmail(db, email))!;
  const deps = { db, now: () => new Date(), jobs: null } as unknown as Deps;
  const { days } = await standingPrivilegeOverTime(deps, actor, filters);
  const last = days[days.length - 1]!;
  return { day: last.day, total: last.grants.human + last.grants.non_human + last.grants.third_party };
}

const standingSection = (page: import("@playwright/test").Page) => page.getByRole("region", { name: "How much standing privilege remains" });

test.describe("standing-privilege dashboard", () => {
  test("an auditor filters the dashboard and opens the list behind a chart", async ({ page, signIn, person, db }) => {
    const ada = await person("auditor");
    const [app] = await db.execute<{ id: string }>(sql`select id from applications where name = 'AWS production'`);
    await signIn.signInWithIdentityProvider(ada.email);
    await expect(page.getByRole("heading", { name: `Hello, ${ada.displayName}` })).toBeVisible();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await expect(page.getByRole("heading", { name: "Standing-privilege dashboard" })).toBeVisible();
    // Auditors see the reviewer diligence chart; everyone sees charts as images with a summary.
    await expect(page.getByRole("heading", { name: "Reviewer diligence: the rubber-stamp signal" })).toBeVisible();
    await expect(standingSection(page).getByRole("img", { name: /^Standing privileged grants went from \d+ on / })).toBeVisible();

    const filters = page.getByRole("search", { name: "Filter the dashboard" });
    await filters.getByLabel("Application").selectOption({ label: "AWS production" });
    await filters.getByLabel("Identity type").selectOption({ label: "Humans" });
    await filters.getByLabel("Period").selectOption({ label: "Last 30 days" });
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(new RegExp(`applicationId=${app!.id}`));
    await expect(page).toHaveURL(/identityType=human/);
    await expect(page).toHaveURL(/period=30/);

    const expected = await standingToday(db, ada.email, { applicationId: app!.id, identityType: "human", period: "30" });
    const section = standingSection(page);
    // The table view carries the same numbers.
    await section.getByText("Show as a table").click();
    const table = section.getByRole("table", { name: "Standing privileged grants and privilege-hours available per day" });
    await expect(table.getByRole("row").nth(1).getByRole("rowheader")).toHaveText(expected.day);
    await expect(table.getByRole("row").nth(1).getByRole("cell").nth(3)).toHaveText(expected.total.toLocaleString("en"));

    await section.getByRole("link", { name: `The ${expected.total.toLocaleString("en")} standing privileged grants on ${expected.day}` }).click();
    await expect(page.getByRole("link", { name: "From dashboard" })).toBeVisible();
    await expect(page.getByRole("heading", { name: `Standing privileged grants in force on ${expected.day}` })).toBeVisible();
    await expect(page.getByTestId("items-total")).toContainText(`${expected.total.toLocaleString("en")} item`);
    const rows = page.getByRole("table", { name: "Grants" }).locator("tbody tr");
    await expect(rows).toHaveCount(Math.min(expected.total, 50));
    for (const row of (await rows.all()).slice(0, 5)) {
      await expect(row.getByRole("cell").nth(1)).toHaveText("Humans");
      await expect(row.getByRole("cell").nth(2)).toHaveText("AWS production");
    }
    // The chip goes back to the dashboard with the same filters.
    await page.getByRole("link", { name: "From dashboard" }).click();
    await expect(page).toHaveURL(/\/dashboard\?.*identityType=human/);
    await expect(page.getByRole("search", { name: "Filter the dashboard" }).getByLabel("Identity type")).toHaveValue("human");
  });

  test("a manager sees only their organisation's numbers, and no reviewer diligence", async ({ page, signIn, person, db }) => {
    const maya = await person("manager");
    const ada = await person("auditor");
    await signIn.signInWithIdentityProvider(maya.email);
    await expect(page.getByRole("heading", { name: `Hello, ${maya.displayName}` })).toBeVisible();
    await page.goto("/dashboard");
    await expect(page.getByText("Figures cover the people and access you are responsible for")).toBeVisible();

    const mine = await standingToday(db, maya.email, {});
    const everyone = await standingToday(db, ada.email, {});
    expect(mine.total).toBeLessThan(everyone.total);
    const section = standingSection(page);
    await expect(section.getByRole("link", { name: `The ${mine.total.toLocaleString("en")} standing privileged grants on ${mine.day}` })).toBeVisible();
    await expect(page.getByText(`The ${everyone.total.toLocaleString("en")} standing privileged grants`)).toHaveCount(0);

    await expect(page.getByRole("heading", { name: "Reviewer diligence: the rubber-stamp signal" })).toHaveCount(0);
    await expect(page.getByText("Reviewer diligence is shown to admins and auditors only")).toBeVisible();
    // The list behind a reviewer's figures is refused outright, whatever the URL says.
    const response = await page.goto(`/dashboard/items?metric=reviewer&reviewer=${maya.id}`);
    expect(response?.status()).toBe(404);

    // Her list holds only what she may see: its total is her figure, not the organisation's.
    await page.goto(`/dashboard/items?metric=standing&day=${mine.day}`);
    await expect(page.getByTestId("items-total")).toContainText(`${mine.total.toLocaleString("en")} item`);
  });
});
