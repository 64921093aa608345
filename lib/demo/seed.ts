import { count, sql } from "drizzle-orm";
import { connect } from "@/db/client";
import { identities } from "@/db/schema";
import { SYSTEM_ACTOR } from "@/lib/domain/access/actor";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import { recomputeFindings } from "@/lib/domain/findings/recompute";
import { JobQueue } from "@/lib/jobs/queue";
import { seedDemoCampaign } from "./campaign";
import { DEFAULT_SEED } from "./generate";
import { loadOrganisation } from "./load";

/**
 * Loads the demo organisation into an empty database and records that it did. A database that
 * already has identities is left alone, so restarting the demo keeps what people changed.
 */
export async function seedDemoIfEmpty(databaseUrl: string, log: (line: string) => void): Promise<boolean> {
  const { db, close } = connect(databaseUrl, { max: 2 });
  try {
    const [row] = await db.select({ n: count() }).from(identities);
    if ((row?.n ?? 0) > 0) {
      log("Database already has data; not seeding the demo organisation.");
      return false;
    }
    // The seed is fixed so every demo shows the same company; "now" moves, so the data stays recent.
    const now = new Date();
    now.setUTCMinutes(0, 0, 0);
    log("Seeding the demo organisation…");
    const counts = await loadOrganisation(databaseUrl, { seed: DEFAULT_SEED, now, scale: "demo" }, (table, rows, progress) => {
      if (progress.done) log(`  ${table}: ${rows.toLocaleString("en")} rows`);
    });
    await db.transaction((tx) => recordAudit(tx, { actor: SYSTEM_ACTOR, action: "demo.seeded", entityType: "database", entityId: "demo", after: { seed: DEFAULT_SEED, counts }, at: new Date() }));
    await db.execute(sql`analyze`);
    // Findings are there from the first page view, not from the first hourly run.
    const jobs = new JobQueue(databaseUrl);
    try {
      const findings = await recomputeFindings({ db, now: () => new Date(), jobs }, "system");
      log(
        `  findings: ${Object.entries(findings.found)
          .map(([kind, n]) => `${n} ${kind.replaceAll("_", " ")}`)
          .join(", ")}`,
      );
      // One active campaign, so a manager has access to review at first sign-in (evidence includes the findings above).
      const campaign = await seedDemoCampaign({ db, now: () => new Date(), jobs });
      log(`  campaign: ${campaign.items} review items`);
    } finally {
      await jobs.stop();
    }
    return true;
  } finally {
    await close();
  }
}
