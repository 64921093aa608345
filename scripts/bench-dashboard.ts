import { sql } from "drizzle-orm";
import { connect } from "@/db/client";
import { DEMO_PEOPLE } from "@/lib/demo/people";
import { loadActiveActorByEmail } from "@/lib/domain/access/load-actor";
import type { Deps } from "@/lib/domain/deps";
import { accessShareOverTime, containmentByApplication, listAvailableGrants, standingPrivilegeOverTime } from "@/lib/domain/metrics/availability";
import { campaignMetrics } from "@/lib/domain/metrics/campaigns";
import { getDashboard } from "@/lib/domain/metrics/dashboard";
import { reviewerDiligence } from "@/lib/domain/metrics/diligence";
import { findingMetrics } from "@/lib/domain/metrics/findings";
import type { MetricFilters } from "@/lib/domain/metrics/filters";
import { nonHumanIdentityConcerns } from "@/lib/domain/metrics/nhi";
import { revocationMetrics } from "@/lib/domain/metrics/revocations";
import { readRollupState, refreshPrivilegeRollup } from "@/lib/domain/metrics/rollup";
import { listUnusedGrants, unusedStandingPrivilege } from "@/lib/domain/metrics/unused";
import { JobQueue } from "@/lib/jobs/queue";

type Measure = (name: string, fn: () => Promise<unknown>) => Promise<void>;

/**
 * Issue 8's figures: each dashboard metric family over the default 90 days, as admin (all
 * 2 million grants), as a manager and as an app owner, and the whole dashboard page's queries
 * together; then drill-down lists. Admin views read the daily rollup: when the database has
 * none yet, they are first measured live, then the rollup is built (timed) and they are
 * measured again, then an incremental refresh is timed. Writes only the metric_* rollup tables.
 */
export async function benchDashboard(url: string, measure: Measure, only?: string) {
  const { db, close } = connect(url, { max: 10 });
  const deps: Deps = { db, now: () => new Date(), jobs: new JobQueue(url) };
  try {
    const [counts] = await db.execute<{ grants: number; sessions: number; events: number; activations: number }>(
      sql`select (select count(*) from grants)::int as grants, (select count(*) from privileged_sessions)::int as sessions, (select count(*) from usage_events)::int as events, (select count(*) from activations)::int as activations`,
    );
    console.log(`Dashboard on ${counts!.grants.toLocaleString("en")} grants, ${counts!.activations.toLocaleString("en")} activations, ${counts!.sessions.toLocaleString("en")} sessions, ${counts!.events.toLocaleString("en")} usage events\n`);
    const filters: MetricFilters = {};
    const timed = async (name: string, fn: () => Promise<unknown>) => {
      const started = performance.now();
      await fn();
      console.log(`${name.padEnd(58)} ${((performance.now() - started) / 1000).toFixed(1).padStart(7)} s`);
    };
    const admin = await loadActiveActorByEmail(db, DEMO_PEOPLE.find((p) => p.role === "admin")!.email);
    if (admin && !(await readRollupState(db))) {
      console.log("— as admin, live (no rollup yet), last 90 days");
      await measure("standing privilege over time (live)", () => standingPrivilegeOverTime(deps, { ...admin }, filters));
      await measure("available vs used by application (live)", () => containmentByApplication(deps, { ...admin }, filters));
      await measure("unused standing privilege (live)", () => unusedStandingPrivilege(deps, { ...admin }, filters));
      await timed("rollup: first build (366 days)", () => refreshPrivilegeRollup(deps));
    }
    await timed("rollup: incremental refresh", () => refreshPrivilegeRollup(deps));
    for (const role of ["admin", "manager", "app_owner"] as const) {
      const person = DEMO_PEOPLE.find((p) => p.role === role)!;
      const actor = await loadActiveActorByEmail(db, person.email);
      if (!actor) continue;
      console.log(`— as ${role} (${person.email}), last 90 days`);
      const fresh = () => ({ ...actor }); // a new actor object per "request": the scope is resolved each time, as on a page load
      if (!only || only === "families") {
        await measure("standing privilege over time", () => standingPrivilegeOverTime(deps, fresh(), filters));
        await measure("standing vs time-bound vs JIT share", () => accessShareOverTime(deps, fresh(), filters));
        await measure("available vs used by application (top 10)", () => containmentByApplication(deps, fresh(), filters));
        await measure("unused standing privilege (30/60/90+)", () => unusedStandingPrivilege(deps, fresh(), filters));
        await measure("non-human identities", () => nonHumanIdentityConcerns(deps, fresh(), filters));
        await measure("campaigns", () => campaignMetrics(deps, fresh(), filters));
        await measure("revocations", () => revocationMetrics(deps, fresh(), filters));
        await measure("findings", () => findingMetrics(deps, fresh(), filters));
        if (role === "admin") await measure("reviewer diligence", () => reviewerDiligence(deps, fresh(), filters));
      }
      await measure("whole dashboard (all charts in parallel)", () => getDashboard(deps, fresh(), filters));
      const today = new Date().toISOString().slice(0, 10);
      await measure("drill-down: standing grants today, first page", () => listAvailableGrants(deps, fresh(), filters, { day: today, kind: "standing" }));
      await measure("drill-down: unused 90+ days, first page", () => listUnusedGrants(deps, fresh(), filters, { bucket: "90" }));
      if (role === "admin") {
        const top = await containmentByApplication(deps, fresh(), filters);
        if (top.top[0]) await measure("drill-down: largest-gap application's grants", () => listAvailableGrants(deps, fresh(), filters, { applicationId: top.top[0]!.applicationId }));
      }
    }
  } finally {
    await deps.jobs.stop().catch(() => {});
    await close();
  }
}
