import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loadActiveActorByEmail } from "@/lib/domain/access/load-actor";
import { previewCampaign } from "@/lib/domain/campaigns/create-campaign";
import { testDatabaseUrl, testDb, testDeps } from "@/lib/testing/test-db";
import { demoCampaignName } from "./campaign";
import { DEMO_PEOPLE } from "./people";
import { seedDemoIfEmpty } from "./seed";

const email = (role: string) => DEMO_PEOPLE.find((p) => p.role === role)!.email;

describe("the demo seed's campaign", () => {
  it("ends with one active campaign in which Maya has her people's access to review, and Omar can run a privileged-only one", async () => {
    const log: string[] = [];
    expect(await seedDemoIfEmpty(testDatabaseUrl, (line) => log.push(line))).toBe(true);
    expect(log).toContainEqual(expect.stringMatching(/^ {2}campaign: \d+ review items$/));

    const rows = await testDb.execute<{ id: string; name: string; status: string; item_count: number; items: number; unassigned: number }>(sql`
      select c.id, c.name, c.status, c.item_count, count(r.*)::int items, count(r.*) filter (where r.reviewer_id is null)::int unassigned
      from campaigns c left join review_items r on r.campaign_id = c.id group by c.id`);
    expect(rows).toHaveLength(1);
    const [campaign] = rows;
    expect(campaign).toMatchObject({ name: demoCampaignName(new Date()), status: "active", unassigned: 0 });
    expect(campaign!.items).toBe(campaign!.item_count);
    expect(campaign!.items).toBeGreaterThan(100);

    // Maya reviews her reports' access, never her own.
    const [maya] = await testDb.execute<{ pending: number; own: number; not_reports: number }>(sql`
      select count(*)::int pending,
        count(*) filter (where r.identity_id = m.id)::int own,
        count(*) filter (where i.manager_id <> m.id)::int not_reports
      from identities m join review_items r on r.reviewer_id = m.id join identities i on i.id = r.identity_id
      where m.email = ${email("manager")} and r.status = 'pending'`);
    expect(maya!.pending).toBeGreaterThan(10);
    expect(maya).toMatchObject({ own: 0, not_reports: 0 });

    // Omar's applications hold privileged grants, so his privileged-only campaign has something to review.
    const omar = (await loadActiveActorByEmail(testDb, email("app_owner")))!;
    const owned = await testDb.execute<{ id: string }>(sql`select application_id id from application_owners where identity_id = ${omar.id}`);
    const preview = await previewCampaign(testDeps(), omar, { scope: { applicationIds: owned.map((o) => o.id), privilegedOnly: true } });
    expect(preview.count).toBeGreaterThan(10);
    expect(preview.description).toMatch(/^Privileged grants in .*AWS production/);
  });
});
