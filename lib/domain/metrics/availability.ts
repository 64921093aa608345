import { sql, type SQL } from "drizzle-orm";
import type { Actor } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import { IDENTITY_CATEGORIES, type IdentityCategory, type MetricFilters } from "./filters";
import { rollupFilterSql, rollupSource, rollupView, type RollupView } from "./rollup";
import { dayStart, executeMetric, metricContext, num, round1, day as dayParam, type MetricContext } from "./sql";
import { KINDS, windowsSql, type GrantKind } from "./windows";

/** Privilege available per day (windows.ts defines it): the standing-privilege and share-of-access charts. */

export interface AvailabilityPoint {
  day: string;
  kind: GrantKind;
  category: IdentityCategory;
  grants: number;
  hours: number;
}

/**
 * Per UTC day, kind and identity category: how many privileged grants were usable and for how
 * many hours. Standing and time-bound grants have one window each and are counted by a running
 * sum of starts and ends (one pass over the grants, not one per day); JIT windows are few and
 * short, and are spread over the days they touch.
 */
// The standing and the share charts read the same series: computed once per request (actor object) and filters.
const seriesCache = new WeakMap<Actor, Map<string, Promise<AvailabilityPoint[]>>>();

function availabilitySeries(actor: Actor, ctx: MetricContext): Promise<AvailabilityPoint[]> {
  const key = JSON.stringify([ctx.filters, ctx.period.start, ctx.period.end]);
  const forActor = seriesCache.get(actor) ?? new Map<string, Promise<AvailabilityPoint[]>>();
  seriesCache.set(actor, forActor);
  let series = forActor.get(key);
  if (!series) {
    series = computeAvailabilitySeries(ctx);
    forActor.set(key, series);
    series.catch(() => forActor.delete(key));
  }
  return series;
}

type SeriesRow = { day: string; kind: GrantKind; category: IdentityCategory; grants: number; hours: number };

/**
 * The daily series from the rollup: the same numbers the live SQL gives as of the rollup's moment.
 * An app owner's view adds their people's other access, computed live over the same period.
 */
async function rollupSeries(view: RollupView) {
  const { ctx } = view;
  return executeMetric<SeriesRow>(
    ctx.db,
    sql`
    with ${view.live ? sql`${liveSeriesSql(view.live)},` : sql``}
    days as (select d::date as day from generate_series(${dayParam(ctx.period.fromDay)}, ${dayParam(ctx.period.toDay)}, interval '1 day') d),
    all_keys as (
      select k.kind, c.category from unnest(array['standing', 'time_bound', 'eligible']) k(kind)
      cross join unnest(array['human', 'non_human', 'third_party']) c(category)
    ),
    agg as (
      select day, kind, category, sum(grants) as grants, sum(hours) as hours from (
        select r.day, r.kind::text as kind, r.category, r.grants, r.available_hours as hours
        from ${rollupSource(view)}
        where r.day between ${dayParam(ctx.period.fromDay)} and ${dayParam(ctx.period.toDay)} and ${rollupFilterSql(view)}
        ${view.live ? sql`union all select day, kind, category, grants, hours from live_series` : sql``}
      ) x
      group by 1, 2, 3
    )
    select to_char(s.day, 'YYYY-MM-DD') as day, k.kind, k.category, coalesce(a.grants, 0)::int as grants, coalesce(a.hours, 0)::float8 as hours
    from days s cross join all_keys k left join agg a on a.day = s.day and a.kind = k.kind and a.category = k.category
    order by 1, 2, 3`,
  );
}

async function computeAvailabilitySeries(ctx: MetricContext): Promise<AvailabilityPoint[]> {
  const view = await rollupView(ctx);
  const rows = view ? await rollupSeries(view) : await liveSeries(ctx);
  const out: AvailabilityPoint[] = rows.map((r) => ({ day: r.day, kind: r.kind, category: r.category, grants: num(r.grants), hours: num(r.hours) }));
  // JIT rows exist only for days with a window: fill the rest with zeros so every series is whole.
  const seen = new Set(out.filter((r) => r.kind === "eligible").map((r) => `${r.day}|${r.category}`));
  for (const dayKey of new Set(out.map((r) => r.day)))
    for (const category of IDENTITY_CATEGORIES) if (!seen.has(`${dayKey}|${category}`)) out.push({ day: dayKey, kind: "eligible", category, grants: 0, hours: 0 });
  return out;
}

/** The live daily series as CTEs ending in live_series (day, kind, category, grants, hours). */
function liveSeriesSql(ctx: MetricContext): SQL {
  return sql`${windowsSql(ctx)},
    deltas as (
      select first_day as day, kind, category, 1 as dc, -extract(epoch from lo - ${dayStart(sql`first_day`)}) / 3600.0 as dh
      from spans where kind <> 'eligible'
      union all
      select last_day + 1, kind, category, -1, 0 from spans where kind <> 'eligible'
      union all
      select last_day, kind, category, 0, -extract(epoch from ${dayStart(sql`last_day + 1`)} - hi) / 3600.0
      from spans where kind <> 'eligible'
    ),
    per_day as (select day, kind, category, sum(dc) as dc, sum(dh) as dh from deltas group by 1, 2, 3),
    series as (select d::date as day from generate_series(${dayParam(ctx.period.fromDay)}, ${dayParam(ctx.period.toDay)}, interval '1 day') d),
    keys as (
      select k.kind, c.category from unnest(array['standing', 'time_bound']) k(kind)
      cross join unnest(array['human', 'non_human', 'third_party']) c(category)
    ),
    running as (
      select s.day, k.kind, k.category,
        sum(coalesce(p.dc, 0)) over w as grants,
        24 * sum(coalesce(p.dc, 0)) over w + coalesce(p.dh, 0) as hours
      from series s cross join keys k
      left join per_day p on p.day = s.day and p.kind = k.kind and p.category = k.category
      window w as (partition by k.kind, k.category order by s.day)
    ),
    jit as (
      select d::date as day, kind, category, count(distinct grant_id) as grants,
        sum(extract(epoch from least(hi, ${dayStart(sql`d::date + 1`)}) - greatest(lo, ${dayStart(sql`d::date`)}))) / 3600.0 as hours
      from spans cross join lateral generate_series(first_day, last_day, interval '1 day') d
      where kind = 'eligible'
      group by 1, 2, 3
    ),
    live_series as (
      select day, kind, category, grants, hours from running
      union all
      select day, kind, category, grants, hours from jit
    )`;
}

async function liveSeries(ctx: MetricContext) {
  return executeMetric<SeriesRow>(
    ctx.db,
    sql`
    with ${liveSeriesSql(ctx)}
    select to_char(day, 'YYYY-MM-DD') as day, kind, category, grants::int as grants, hours::float8 as hours from live_series
    order by 1, 2, 3`,
  );
}

export interface StandingDay {
  day: string;
  grants: Record<IdentityCategory, number>;
  hours: Record<IdentityCategory, number>;
}

const zeroes = () => ({ human: 0, non_human: 0, third_party: 0 });

/** Standing privilege over time: standing privileged grants and their privilege-hours per day, by identity type. */
export async function standingPrivilegeOverTime(deps: Deps, actor: Actor, filters: MetricFilters) {
  const ctx = await metricContext(deps, actor, filters);
  const points = await availabilitySeries(actor, ctx);
  const asOf = (await rollupView(ctx))?.ctx.now ?? ctx.now;
  const byDay = new Map<string, StandingDay>();
  for (const p of points) {
    if (p.kind !== "standing") continue;
    const d = byDay.get(p.day) ?? { day: p.day, grants: zeroes(), hours: zeroes() };
    d.grants[p.category] = p.grants;
    d.hours[p.category] = round1(p.hours);
    byDay.set(p.day, d);
  }
  return { period: ctx.period, asOf, days: [...byDay.values()] };
}

export interface ShareDay {
  day: string;
  hours: Record<GrantKind, number>;
  /** Percent of the day's privilege-hours, by kind; all zero on a day with none. */
  share: Record<GrantKind, number>;
}

/** Standing vs time-bound vs JIT: each kind's share of the privilege-hours available per day. */
export async function accessShareOverTime(deps: Deps, actor: Actor, filters: MetricFilters) {
  const ctx = await metricContext(deps, actor, filters);
  const points = await availabilitySeries(actor, ctx);
  const asOf = (await rollupView(ctx))?.ctx.now ?? ctx.now;
  const byDay = new Map<string, ShareDay>();
  for (const p of points) {
    const d = byDay.get(p.day) ?? { day: p.day, hours: { standing: 0, time_bound: 0, eligible: 0 }, share: { standing: 0, time_bound: 0, eligible: 0 } };
    d.hours[p.kind] += p.hours;
    byDay.set(p.day, d);
  }
  const days = [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
  for (const d of days) {
    const total = d.hours.standing + d.hours.time_bound + d.hours.eligible;
    for (const k of KINDS) {
      d.share[k] = total > 0 ? round1((100 * d.hours[k]) / total) : 0;
      d.hours[k] = round1(d.hours[k]);
    }
  }
  return { period: ctx.period, asOf, days };
}
