import { sql, type SQL } from "drizzle-orm";
import type { Actor } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import { decodeCursor, encodeCursor } from "@/db/queries/cursor";
import { IDENTITY_CATEGORIES, startOfDay, type IdentityCategory, type MetricFilters } from "./filters";
import { readsApplicationTotals, rollupFilterSql, rollupSource, rollupView, type RollupView } from "./rollup";
import { accessFilterSql, CATEGORY, countedGrantsSql, dayStart, GRANT_END, executeMetric, metricContext, num, PAGE_SIZE, round1, ts, utcDay, day as dayParam, type ItemPage, type MetricContext } from "./sql";

/**
 * Privilege available: when each privileged grant was usable (DESIGN.md "Metrics").
 *
 * A privileged grant's usable windows, clipped to the period:
 * - standing: from granted_at until it ended (or now);
 * - time-bound: from granted_at until it expired or ended, whichever came first;
 * - eligible (JIT): only its activation windows (not pending ones; an ended window until it
 *   really ended), overlapping windows of the same grant merged first, so two overlapping
 *   activations count their shared hours once.
 * A grant counts on a UTC day when one of its windows overlaps that day by more than zero time;
 * its privilege-hours that day are the overlap. "Privileged" is the entitlement's flag as it is now.
 */
export const KINDS = ["standing", "time_bound", "eligible"] as const;
export type GrantKind = (typeof KINDS)[number];

/** The windows CTEs (base, windows, spans) for the context's filters, scope and period. */
/**
 * Optional narrowing for lists: only grants of one kind, or one application, or windows touching
 * one day. It never changes a figure (a day's figures depend only on windows overlapping it),
 * only how much the database reads.
 */
export interface Narrow {
  kind?: GrantKind;
  applicationId?: string;
  day?: string;
}

export function windowsSql(ctx: MetricContext, narrow: Narrow = {}): SQL {
  const { start, end: periodEnd } = ctx.period;
  const dayEnd = narrow.day ? new Date(Math.min(startOfDay(narrow.day).getTime() + 86_400_000, periodEnd.getTime())) : null;
  const end = dayEnd ?? periodEnd;
  const from = narrow.day ? new Date(Math.max(startOfDay(narrow.day).getTime(), start.getTime())) : start;
  const extra: SQL[] = [];
  if (narrow.kind) extra.push(sql`and g.kind = ${narrow.kind}`);
  if (narrow.applicationId) extra.push(sql`and e.application_id = ${narrow.applicationId}`);
  return sql`base as (
      select g.id as grant_id, g.kind::text as kind, ${CATEGORY} as category, e.application_id, g.entitlement_id, coalesce(i.department, '') as department,
        g.granted_at as lo, ${GRANT_END} as hi
      from grants g
      join entitlements e on e.id = g.entitlement_id and e.privileged
      join identities i on i.id = g.identity_id
      where g.granted_at < ${ts(end)} and ${accessFilterSql(ctx.filters)} and ${countedGrantsSql(ctx)} ${sql.join(extra, sql` `)}
    ),
    windows as (
      select grant_id, kind, category, application_id, entitlement_id, department, greatest(lo, ${ts(from)}) as lo, least(coalesce(hi, 'infinity'), ${ts(end)}) as hi
      from base where kind <> 'eligible'
      union all
      select b.grant_id, b.kind, b.category, b.application_id, b.entitlement_id, b.department,
        greatest(lower(r), b.lo, ${ts(from)}) as lo, least(upper(r), coalesce(b.hi, 'infinity'), ${ts(end)}) as hi
      from base b
      cross join lateral unnest((
        select range_agg(tstzrange(a.starts_at, greatest(a.starts_at, coalesce(a.ended_at, a.ends_at))))
        from activations a
        where a.grant_id = b.grant_id and a.status <> 'pending' and a.starts_at < ${ts(end)} and coalesce(a.ended_at, a.ends_at) > ${ts(from)}
      )) as r
      where b.kind = 'eligible'
    ),
    spans as (
      select *, ${utcDay(sql`lo`)} as first_day, ${utcDay(sql`hi - interval '1 microsecond'`)} as last_day
      from windows where hi > lo
    )`;
}

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
  return executeMetric<SeriesRow>(ctx.db, sql`
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
    order by 1, 2, 3`);
}

async function computeAvailabilitySeries(ctx: MetricContext): Promise<AvailabilityPoint[]> {
  const view = await rollupView(ctx);
  const rows = view ? await rollupSeries(view) : await liveSeries(ctx);
  const out: AvailabilityPoint[] = rows.map((r) => ({ day: r.day, kind: r.kind, category: r.category, grants: num(r.grants), hours: num(r.hours) }));
  // JIT rows exist only for days with a window: fill the rest with zeros so every series is whole.
  const seen = new Set(out.filter((r) => r.kind === "eligible").map((r) => `${r.day}|${r.category}`));
  for (const dayKey of new Set(out.map((r) => r.day)))
    for (const category of IDENTITY_CATEGORIES)
      if (!seen.has(`${dayKey}|${category}`)) out.push({ day: dayKey, kind: "eligible", category, grants: 0, hours: 0 });
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
  return executeMetric<SeriesRow>(ctx.db, sql`
    with ${liveSeriesSql(ctx)}
    select to_char(day, 'YYYY-MM-DD') as day, kind, category, grants::int as grants, hours::float8 as hours from live_series
    order by 1, 2, 3`);
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

/**
 * Privilege-hours used: privileged sessions on the grant, clipped to the period, overlapping
 * sessions of one grant merged (hours in which the privilege was in use, counted once), a
 * session crossing midnight split between its days. Sessions not linked to a grant are use
 * without approval: a finding, not use of available privilege.
 */
function usedSql(ctx: MetricContext, narrow: Narrow = {}): SQL {
  const { start, end } = ctx.period;
  const sessionEnd = sql.raw(`coalesce(s.ended_at, s.started_at + make_interval(secs => s.duration_seconds), s.started_at)`);
  const inPeriod = sql`s.started_at < ${ts(end)} and ${sessionEnd} > ${ts(start)}`;
  // A view of some grants (a scope, an application) looks up each grant's sessions by the (grant,
  // start) index; otherwise the planner, misled by averages about how many grants a list of people
  // holds, reads every session of the period. A view of everything reads them all in one pass.
  const probe = !ctx.scope.everything || narrow.applicationId || ctx.filters.applicationId;
  const sessions = probe
    ? sql`grants g cross join lateral (select s.started_at, s.ended_at, s.duration_seconds from privileged_sessions s where s.grant_id = g.id and ${inPeriod} offset 0) s`
    : sql`privileged_sessions s join grants g on g.id = s.grant_id`;
  return sql`sess as (
      select g.id as grant_id, e.application_id,
        tstzrange(greatest(s.started_at, ${ts(start)}), greatest(s.started_at, ${ts(start)}, least(${sessionEnd}, ${ts(end)}))) as r
      from ${sessions}
      join entitlements e on e.id = g.entitlement_id and e.privileged
      join identities i on i.id = g.identity_id
      where ${inPeriod}
        and ${accessFilterSql(ctx.filters)} and ${countedGrantsSql(ctx)} ${narrow.applicationId ? sql`and e.application_id = ${narrow.applicationId}` : sql``}
    ),
    used_pieces as (select grant_id, application_id, unnest(range_agg(r)) as r from sess group by grant_id, application_id),
    used as (select grant_id, application_id, sum(extract(epoch from upper(r) - lower(r))) / 3600.0 as hours from used_pieces group by 1, 2),
    avail as (select grant_id, application_id, sum(extract(epoch from hi - lo)) / 3600.0 as hours from spans group by 1, 2),
    per_grant as (
      select coalesce(a.grant_id, u.grant_id) as grant_id, coalesce(a.application_id, u.application_id) as application_id,
        coalesce(a.hours, 0) as available, coalesce(u.hours, 0) as used
      from avail a full join used u on u.grant_id = a.grant_id
    )`;
}

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
  const rows = await executeMetric<{ application_id: string; name: string; available: number; used: number; applications: number }>(ctx.db, sql`
    with ${perApp}
    select p.application_id, a.name, p.available::float8 as available, p.used::float8 as used,
      (count(*) over ())::int as applications
    from per_app p join applications a on a.id = p.application_id
    where p.available > 0 or p.used > 0
    order by p.available - p.used desc, a.name
    limit ${limit}`);
  const top: ContainmentRow[] = rows.map((r) => {
    const available = round1(num(r.available));
    const used = round1(num(r.used));
    return { applicationId: r.application_id, applicationName: r.name, available, used, gap: round1(num(r.available) - num(r.used)), utilisation: num(r.available) > 0 ? round1((100 * num(r.used)) / num(r.available)) : null };
  });
  return { period: ctx.period, asOf: ctx.now, applications: num(rows[0]?.applications), top };
}

export interface AvailableGrantRow {
  grantId: string;
  identityId: string;
  identityName: string;
  category: IdentityCategory;
  applicationName: string;
  entitlementName: string;
  kind: GrantKind;
  availableHours: number;
  usedHours: number;
}

export type AvailabilitySelection =
  | { kind?: GrantKind; category?: IdentityCategory; day: string }
  | { applicationId: string };

/**
 * The grants behind a point of the availability charts: those usable on a day (of a kind and
 * identity type), or those with privilege available or used in an application over the period.
 * The same windows as the charts, so the total equals the chart's count.
 */
export async function listAvailableGrants(deps: Deps, actor: Actor, filters: MetricFilters, selection: AvailabilitySelection, cursor?: string | null): Promise<ItemPage<AvailableGrantRow> & { availableHours: number; usedHours: number }> {
  const live = await metricContext(deps, actor, filters);
  // Where the chart read the rollup, the list ends its period at the rollup's moment too.
  const ctx = (await rollupView(live))?.ctx ?? live;
  const after = decodeCursor(cursor)?.[0];
  let pick: SQL;
  if ("day" in selection) {
    const conds: SQL[] = [sql`lo < ${dayStart(sql`${dayParam(selection.day)} + 1`)} and hi > ${dayStart(dayParam(selection.day))}`];
    if (selection.kind) conds.push(sql`kind = ${selection.kind}`);
    if (selection.category) conds.push(sql`category = ${selection.category}`);
    // Hours on that day only.
    pick = sql`picked as (
      select grant_id, sum(extract(epoch from least(hi, ${dayStart(sql`${dayParam(selection.day)} + 1`)}) - greatest(lo, ${dayStart(dayParam(selection.day))}))) / 3600.0 as available, 0::float8 as used
      from spans where ${sql.join(conds, sql` and `)} group by grant_id)`;
  } else {
    pick = sql`picked as (select grant_id, available, used from per_grant where application_id = ${selection.applicationId})`;
  }
  const rows = await executeMetric<{ grant_id: string; identity_id: string; display_name: string; category: IdentityCategory; application_name: string; entitlement_name: string; kind: GrantKind; available: number; used: number; total: number; total_available: number; total_used: number }>(ctx.db, sql`
    with ${"day" in selection ? windowsSql(ctx, { day: selection.day, kind: selection.kind }) : sql`${windowsSql(ctx, { applicationId: selection.applicationId })}, ${usedSql(ctx, { applicationId: selection.applicationId })}`}, ${pick},
    counted as (select p.*, count(*) over () as total, sum(p.available) over () as total_available, sum(p.used) over () as total_used from picked p)
    select c.grant_id, g.identity_id, i.display_name, ${CATEGORY} as category, a.name as application_name, e.name as entitlement_name, g.kind,
      c.available::float8 as available, c.used::float8 as used, c.total::int as total, c.total_available::float8 as total_available, c.total_used::float8 as total_used
    from counted c
    join grants g on g.id = c.grant_id join identities i on i.id = g.identity_id
    join entitlements e on e.id = g.entitlement_id join applications a on a.id = e.application_id
    where ${after ? sql`c.grant_id > ${String(after)}::uuid` : sql`true`}
    order by c.grant_id
    limit ${PAGE_SIZE + 1}`);
  const page = rows.slice(0, PAGE_SIZE);
  // The totals come from the window over every picked row, so they do not depend on the page.
  let total = num(rows[0]?.total);
  if (rows.length === 0 && after) total = (await listAvailableGrants(deps, actor, filters, selection, null)).total;
  return {
    total,
    availableHours: round1(num(rows[0]?.total_available)),
    usedHours: round1(num(rows[0]?.total_used)),
    rows: page.map((r) => ({
      grantId: r.grant_id,
      identityId: r.identity_id,
      identityName: r.display_name,
      category: r.category,
      applicationName: r.application_name,
      entitlementName: r.entitlement_name,
      kind: r.kind,
      availableHours: round1(num(r.available)),
      usedHours: round1(num(r.used)),
    })),
    nextCursor: rows.length > PAGE_SIZE ? encodeCursor([page[page.length - 1]!.grant_id]) : null,
  };
}
