import { sql } from "drizzle-orm";
import type { Actor } from "@/lib/domain/access/actor";
import { canViewReviewerDiligence } from "@/lib/domain/access/metric-rules";
import type { Deps } from "@/lib/domain/deps";
import { accessShareOverTime, standingPrivilegeOverTime } from "./availability";
import { containmentByApplication } from "./containment";
import { campaignMetrics } from "./campaigns";
import { reviewerDiligence } from "./diligence";
import { findingMetrics } from "./findings";
import { resolvePeriod, type MetricFilters } from "./filters";
import { nonHumanIdentityConcerns } from "./nhi";
import { revocationMetrics } from "./revocations";
import { identityScopeSql, metricContext } from "./sql";
import { unusedStandingPrivilege } from "./unused";

/** Every chart of the dashboard, for one actor and one set of filters, computed in parallel. */
export async function getDashboard(deps: Deps, actor: Actor, filters: MetricFilters) {
  const period = resolvePeriod(filters, deps.now());
  const diligenceRule = canViewReviewerDiligence(actor);
  const [standing, share, containment, unused, nhi, campaigns, revocations, findings, diligence] = await Promise.all([
    standingPrivilegeOverTime(deps, actor, filters),
    accessShareOverTime(deps, actor, filters),
    containmentByApplication(deps, actor, filters),
    unusedStandingPrivilege(deps, actor, filters),
    nonHumanIdentityConcerns(deps, actor, filters),
    campaignMetrics(deps, actor, filters),
    revocationMetrics(deps, actor, filters),
    findingMetrics(deps, actor, filters),
    diligenceRule.allowed ? reviewerDiligence(deps, actor, filters) : Promise.resolve(null),
  ]);
  return { period, asOf: deps.now(), standing, share, containment, unused, nhi, campaigns, revocations, findings, diligence, diligenceRefusal: diligenceRule.allowed ? null : diligenceRule.reason };
}

export type Dashboard = Awaited<ReturnType<typeof getDashboard>>;

/**
 * What the filter bar offers: applications and their owners (the catalogue every signed-in
 * person may read), the departments of the people the actor may see, and the launched campaigns
 * they may see (all of them, or those they created or review in).
 */
export async function dashboardFilterOptions(deps: Deps, actor: Actor) {
  const { scope } = await metricContext(deps, actor, {});
  const [applications, departments, owners, campaigns] = await Promise.all([
    deps.db.execute<{ id: string; name: string }>(sql`select id, name from applications order by name limit 3000`),
    deps.db.execute<{ department: string }>(sql`select distinct i.department from identities i where i.department is not null and ${identityScopeSql(scope)} order by 1 limit 1000`),
    deps.db.execute<{ id: string; name: string }>(sql`
      select i.id, i.display_name as name from identities i
      where i.id in (select identity_id from application_owners union select owner_id from entitlements where owner_id is not null)
      order by i.display_name limit 3000`),
    deps.db.execute<{ id: string; name: string }>(sql`
      select c.id, c.name from campaigns c
      where c.launched_at is not null
        and ${scope.everything ? sql`true` : sql`(c.created_by_id = ${actor.id} or c.id in (select ri.campaign_id from review_items ri where ri.reviewer_id = ${actor.id}))`}
      order by c.launched_at desc limit 500`),
  ]);
  return { applications: [...applications], departments: departments.map((d) => d.department), owners: [...owners], campaigns: [...campaigns] };
}
