import { sql } from "drizzle-orm";
import { connect } from "@/db/client";
import { loadActiveActor } from "@/lib/domain/access/load-actor";
import type { Deps } from "@/lib/domain/deps";
import { browseFindings } from "@/lib/domain/findings/browse";
import { recomputeFindings, type RecomputeSummary } from "@/lib/domain/findings/recompute";
import { JobQueue } from "@/lib/jobs/queue";

type Measure = (name: string, fn: () => Promise<unknown>) => Promise<void>;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Issue 7's figure on the database at DATABASE_URL (generate the large organisation first): a
 * full recompute of every drift finding, twice: the first run on this database opens the
 * findings (inserts), later runs refresh them (the hourly steady state). Per-detector times
 * show where a run spends them. Then the findings list as an admin and as an app owner.
 */
export async function benchFindings(url: string, measure: Measure) {
  const { db, close } = connect(url, { max: 4 });
  const jobs = new JobQueue(url);
  const deps: Deps = { db, now: () => new Date(), jobs };
  try {
    const [counts] = await db.execute<{ identities: number; grants: number; events: number; sessions: number; findings: number }>(sql`
      select (select count(*) from identities)::int as identities, (select count(*) from grants)::int as grants,
             (select count(*) from usage_events)::int as events, (select count(*) from privileged_sessions)::int as sessions,
             (select count(*) from findings)::int as findings`);
    console.log(
      `On ${counts!.identities.toLocaleString("en")} identities, ${counts!.grants.toLocaleString("en")} grants, ${counts!.events.toLocaleString("en")} usage events, ` +
        `${counts!.sessions.toLocaleString("en")} sessions (${counts!.findings.toLocaleString("en")} findings before)`,
    );
    let last: RecomputeSummary | null = null;
    for (const run of [1, 2]) {
      last = await recomputeFindings(deps, "system");
      const found = Object.values(last.found).reduce((a, b) => a + b, 0);
      console.log(
        `${`drift findings, full recompute (run ${run})`.padEnd(58)} ${seconds(last.durationMs)}: ${found.toLocaleString("en")} found, ` +
          `${last.opened.toLocaleString("en")} opened, ${last.reopened} re-opened, ${last.resolved} resolved`,
      );
    }
    console.log(`  by detector (ms): ${Object.entries(last!.timings).map(([k, v]) => `${k} ${v.toLocaleString("en")}`).join(" · ")}`);
    console.log(`  found: ${Object.entries(last!.found).map(([k, v]) => `${k} ${v.toLocaleString("en")}`).join(" · ")}`);

    const [admin] = await db.execute<{ identity_id: string }>(sql`select identity_id from identity_roles where role = 'admin' limit 1`);
    const [owner] = await db.execute<{ identity_id: string }>(sql`
      select ao.identity_id from application_owners ao join findings f on f.application_id = ao.application_id and f.status = 'open'
      group by 1 order by count(*) desc limit 1`);
    for (const [role, id] of [["admin", admin?.identity_id], ["busiest app owner", owner?.identity_id]] as const) {
      if (!id) continue;
      const actor = (await loadActiveActor(db, id))!;
      const first = await browseFindings(deps, actor, {});
      await measure(`findings page as ${role}, first page`, () => browseFindings(deps, actor, {}));
      if (first.nextCursor) await measure(`findings page as ${role}, next page (keyset)`, () => browseFindings(deps, actor, { cursor: first.nextCursor }));
      await measure(`findings page as ${role}, one kind and severity`, () => browseFindings(deps, actor, { kind: "unused_standing_privilege", severity: "critical" }));
    }
  } finally {
    await jobs.stop();
    await close();
  }
}
