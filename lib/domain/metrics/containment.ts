import { sql, type SQL } from "drizzle-orm";
import type { Actor } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import type { MetricFilters } from "./filters";
import { readsApplicationTotals, rollupFilterSql, rollupView, type RollupView } from "./rollup";
import { executeMetric, metricContext, num, round1, day as dayParam } from "./sql";
import { usedSql, windowsSql } from "./windows";

export interface ContainmentRow {
  applicationId: string;
  applicationName: string;
  available: number;
  used: number;
  gap: number;
  /** used / available, in percent; null when nothing was available. */
  utilisation: number | null;
}

/**
 * Privilege-hours available and used per application over the view's period, from the rollup:
 * the running totals' difference (last day less the day before the first) when they answer the
 * view, else the per-entitlement rows, plus an app owner's people's other access computed live.
 */
function rolledPerApp(view: RollupView): SQL {
  const { period, filters } = view.ctx;
  if (readsApplicationTotals(view))
    return sql`per_app as (
        select t.application_id, t.available_hours - coalesce(b.available_hours, 0) as available, t.used_hours - coalesce(b.used_hours, 0) as used
        from metric_privilege_app_running t
        left join metric_privilege_app_running b on b.application_id = t.application_id and b.day = ${dayParam(period.fromDay)} - 1
        where t.day = ${dayParam(period.toDay)} ${filters.applicationId ? sql`and t.application_id = ${filters.applicationId}` : sql``}
      )`;
  return sql`${view.live ? sql`${windowsSql(view.live)}, ${usedSql(view.live)},` : sql``}
      per_app as (
        select application_id, sum(available) as available, sum(used) as used from (
          select e.application_id, r.available_hours as available, r.used_hours as used
          from metric_privilege_daily r join entitlements e on e.id = r.entitlement_id
          where r.day between ${dayParam(period.fromDay)} and ${dayParam(period.toDay)} and ${rollupFilterSql(view)}
          ${view.live ? sql`union all select application_id, available, used from per_grant` : sql``}
        ) x
        group by 1
      )`;
}

/** Available vs used by application over the period, largest containment gap first. */
export async function containmentByApplication(deps: Deps, actor: Actor, filters: MetricFilters, limit = 10) {
  const live = await metricContext(deps, actor, filters);
  const view = await rollupView(live);
  const ctx = view?.ctx ?? live;
  const perApp = view
    ? rolledPerApp(view)
    : sql`${windowsSql(ctx)}, ${usedSql(ctx)},
      per_app as (select application_id, sum(available) as available, sum(used) as used from per_grant group by 1)`;
  const rows = await executeMetric<{ application_id: string; name: string; available: number; used: number; applications: number }>(
    ctx.db,
    sql`
    with ${perApp}
    select p.application_id, a.name, p.available::float8 as available, p.used::float8 as used,
      (count(*) over ())::int as applications
    from per_app p join applications a on a.id = p.application_id
    where p.available > 0 or p.used > 0
    order by p.available - p.used desc, a.name
    limit ${limit}`,
  );
  const top: ContainmentRow[] = rows.map((r) => {
    const available = round1(num(r.available));
    const used = round1(num(r.used));
    return {
      applicationId: r.application_id,
      applicationName: r.name,
      available,
      used,
      gap: round1(num(r.available) - num(r.used)),
      utilisation: num(r.available) > 0 ? round1((100 * num(r.used)) / num(r.available)) : null,
    };
  });
  return { period: ctx.period, asOf: ctx.now, applications: num(rows[0]?.applications), top };
}
