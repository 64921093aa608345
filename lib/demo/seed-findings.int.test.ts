import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { FINDING_KINDS } from "@/lib/domain/findings/kinds";
import { testDatabaseUrl, testDb } from "@/lib/testing/test-db";
import { seedDemoIfEmpty } from "./seed";

describe("the demo seed", () => {
  it("computes findings once after loading, and every one of the nine kinds of DESIGN.md shows", async () => {
    const log: string[] = [];
    expect(await seedDemoIfEmpty(testDatabaseUrl, (line) => log.push(line))).toBe(true);
    expect(log).toContainEqual(expect.stringMatching(/^ {2}findings: /));
    const rows = await testDb.execute<{ kind: keyof typeof FINDING_KINDS; who: string | null; n: number }>(sql`
      select f.kind, string_agg(distinct coalesce(i.display_name, a.username), ', ') as who, count(*)::int as n
      from findings f left join identities i on i.id = f.identity_id left join accounts a on a.id = f.account_id
      where f.status = 'open' group by f.kind`);
    const designKinds = new Set(rows.map((r) => FINDING_KINDS[r.kind].design));
    expect([...designKinds].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const who = Object.fromEntries(rows.map((r) => [r.kind, r.who]));
    expect(who).toMatchObject({
      used_without_approval: expect.stringContaining("Sam Ortiz"),
      expired_but_live: expect.stringContaining("Kai Lund"),
      revocation_not_applied: expect.stringContaining("Tomas Novak"),
      regranted_after_revocation: expect.stringContaining("Lucia Moreno"),
      leaver_account: expect.stringContaining("Victor Hale"),
      orphan_account: expect.stringContaining("deploy-legacy"),
      nhi_no_owner: expect.stringContaining("svc-legacy-reporting"),
      nhi_owner_leaver: expect.stringContaining("svc-backup-s3"),
      unused_standing_privilege: expect.stringContaining("Dan Reyes"),
      break_glass_unreviewed: expect.stringContaining("Jo Kim"),
      sod_conflict: expect.stringContaining("Priya Shah"),
    });
    // The demo's SoD rule for vendor bills is a set of three, and Priya holds two of them.
    const [priya] = await testDb.execute<{ reason: string }>(sql`select reason from findings where kind = 'sod_conflict' and status = 'open' and reason like 'Priya Shah%'`);
    expect(priya!.reason).toMatch(/^Priya Shah holds 2 of the 3 entitlements of the rule "Enter, approve and post vendor bills"/);
    const [summary] = await testDb.execute<{ n: number }>(sql`select count(*)::int as n from audit_events where action = 'findings.recomputed'`);
    expect(summary!.n).toBe(1);
  });
});
