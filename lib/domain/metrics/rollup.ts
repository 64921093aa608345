import { eq, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { EVERYTHING, uuidList } from "@/db/queries/scope";
import { metricRollups } from "@/db/schema";
import type { Deps } from "@/lib/domain/deps";
import { windowsSql } from "./windows";
import { idleSql } from "./unused";
import { dayOf, startOfDay, type Period } from "./filters";
import { dayStart, ownsAccessSql, ts, utcDay, day as dayParam, type MetricContext } from "./sql";

/**
 * The daily rollup of privilege available and used (metric_privilege_daily): without it a 90-day
 * chart walks every privileged grant, JIT window and session it covers (about 15 s at 2M grants
 * for a view of everything, 1 to 2 s for an app owner of the busiest applications). Views that
 * see everything read it alone. An app owner's view is split: the access to what they own (every
 * holder of it is in their scope) is read from the rollup's rows for those entitlements, and only
 * their people's other access is computed live, over the same period. A view of people alone
 * (a manager) stays live: the rollup does not keep who holds what.
 *
 * Rows are computed by the live SQL (windowsSql), grouped by day, kind, holder category,
 * entitlement and department, so summing them gives exactly the live figures as of the moment
 * the rollup was computed (computedThrough). Views reading the rollup end their period at that
 * moment, lists behind them too, so chart and list agree. Attribution (the holder's department
 * and type, the entitlement's privileged flag) is as it was when a day was computed; the nightly
 * full rebuild brings every day to the current one.
 *
 * Maintained incrementally by the metrics-rollup job: each run recomputes from the day of the
 * previous run (that day was partial), or earlier where grants created or ended, activations
 * created or sessions ingested since then reach further back; days older than ROLLUP_DAYS are dropped.
 */
export const ROLLUP = "privilege_daily";
export const ROLLUP_DAYS = 366;
const DAY_MS = 86_400_000;

export interface RollupState {
  firstDay: string;
  computedThrough: Date;
}

export async function readRollupState(db: Executor): Promise<RollupState | null> {
  const [row] = await db.select().from(metricRollups).where(eq(metricRollups.name, ROLLUP));
  return row ? { firstDay: row.firstDay, computedThrough: row.computedThrough } : null;
}

/** How a view reads the rollup (rollupView). */
export interface RollupView {
  /** The view's context, its period ending at the rollup's moment (never later than asked). */
  ctx: MetricContext;
  /** The entitlements whose rows the view reads; null: every row (a view of everything). */
  entitlementIds: string[] | null;
  /**
   * What the rows do not answer for, computed live over the same period: an app owner's people's
   * access to what they do not own. Null when the rows answer for the whole view.
   */
  live: MetricContext | null;
}

/**
 * How the view reads the rollup, or null when the live SQL must answer: a view of people only
 * (no owned entitlements), no rollup yet, or a period starting before the rollup's first day.
 */
export async function rollupView(ctx: MetricContext): Promise<RollupView | null> {
  const scope = ctx.scope;
  if (!scope.everything && scope.ownedEntitlementIds.length === 0) return null;
  const state = await readRollupState(ctx.db);
  if (!state || state.firstDay > ctx.period.fromDay) return null;
  const end = state.computedThrough.getTime() < ctx.period.end.getTime() ? state.computedThrough : ctx.period.end;
  if (end.getTime() <= ctx.period.start.getTime()) return null;
  const lastDay = dayOf(new Date(end.getTime() - 1));
  const period: Period = { ...ctx.period, end, toDay: lastDay < ctx.period.toDay ? lastDay : ctx.period.toDay };
  const rolled: MetricContext = { ...ctx, period, now: end };
  if (scope.everything) return { ctx: rolled, entitlementIds: null, live: null };
  const owned = scope.ownedEntitlementIds;
  return { ctx: rolled, entitlementIds: owned, live: { ...rolled, scope: { ...scope, ownedEntitlementIds: [] }, exceptEntitlementIds: owned } };
}

/**
 * Where the rollup rows are read from: the per-entitlement rows when an application or owner
 * filter, or the view's entitlements, need the entitlement; else the totals (the same sums, a
 * hundredth of the rows).
 */
export function rollupSource(view: RollupView): SQL {
  const { filters } = view.ctx;
  return filters.applicationId || filters.ownerId || view.entitlementIds ? sql`metric_privilege_daily r join entitlements e on e.id = r.entitlement_id` : sql`metric_privilege_daily_totals r`;
}

/** The dashboard filters over rollup rows r joined to their entitlement e: the same predicates as accessFilterSql, within the view's entitlements. */
export function rollupFilterSql(view: RollupView): SQL {
  const { filters } = view.ctx;
  const parts: SQL[] = [sql`true`];
  if (view.entitlementIds) parts.push(sql`r.entitlement_id = any(${uuidList(view.entitlementIds)})`);
  if (filters.applicationId) parts.push(sql`e.application_id = ${filters.applicationId}`);
  if (filters.ownerId) parts.push(ownsAccessSql(filters.ownerId));
  if (filters.department) parts.push(sql`r.department = ${filters.department}`);
  if (filters.identityType) parts.push(sql`r.category = ${filters.identityType}`);
  return sql.join(parts, sql` and `);
}

/** True when the per-application running totals answer the view: everything, filtered by application at most. */
export function readsApplicationTotals(view: RollupView): boolean {
  const f = view.ctx.filters;
  return view.entitlementIds === null && !view.live && !f.ownerId && !f.department && !f.identityType;
}

/** Computes and inserts the rollup rows for the context's period (everything, no filters). */
async function insertRollupRows(db: Executor, ctx: MetricContext) {
  const { start, end } = ctx.period;
  const keys = sql.raw("kind, category, entitlement_id, department");
  const sessionEnd = sql.raw(`coalesce(s.ended_at, s.started_at + make_interval(secs => s.duration_seconds), s.started_at)`);
  await db.execute(sql`
    with ${windowsSql(ctx)},
    groups as (select distinct ${keys} from spans where kind <> 'eligible'),
    deltas as (
      select first_day as day, ${keys}, 1 as dc, -extract(epoch from lo - ${dayStart(sql`first_day`)}) / 3600.0 as dh from spans where kind <> 'eligible'
      union all
      select last_day + 1, ${keys}, -1, 0 from spans where kind <> 'eligible'
      union all
      select last_day, ${keys}, 0, -extract(epoch from ${dayStart(sql`last_day + 1`)} - hi) / 3600.0 from spans where kind <> 'eligible'
    ),
    per_day as (select day, ${keys}, sum(dc) as dc, sum(dh) as dh from deltas group by day, ${keys}),
    series as (select d::date as day from generate_series(${dayParam(ctx.period.fromDay)}, ${dayParam(ctx.period.toDay)}, interval '1 day') d),
    running as (
      select s.day, k.kind, k.category, k.entitlement_id, k.department,
        sum(coalesce(p.dc, 0)) over w as grants, 24 * sum(coalesce(p.dc, 0)) over w + coalesce(p.dh, 0) as hours
      from groups k cross join series s
      left join per_day p on p.day = s.day and p.kind = k.kind and p.category = k.category and p.entitlement_id = k.entitlement_id and p.department = k.department
      window w as (partition by k.kind, k.category, k.entitlement_id, k.department order by s.day)
    ),
    jit as (
      select d::date as day, ${keys}, count(distinct grant_id) as grants,
        sum(extract(epoch from least(hi, ${dayStart(sql`d::date + 1`)}) - greatest(lo, ${dayStart(sql`d::date`)}))) / 3600.0 as hours
      from spans cross join lateral generate_series(first_day, last_day, interval '1 day') d
      where kind = 'eligible' group by 1, 2, 3, 4, 5
    ),
    avail as (select * from running where grants > 0 union all select * from jit),
    sess as (
      select s.grant_id, g.kind::text as kind, case when i.type = 'third_party' then 'third_party' when i.kind = 'human' then 'human' else 'non_human' end as category,
        g.entitlement_id, coalesce(i.department, '') as department,
        tstzrange(greatest(s.started_at, ${ts(start)}), greatest(s.started_at, ${ts(start)}, least(${sessionEnd}, ${ts(end)}))) as r
      from privileged_sessions s
      join grants g on g.id = s.grant_id
      join entitlements e on e.id = g.entitlement_id and e.privileged
      join identities i on i.id = g.identity_id
      where s.started_at < ${ts(end)} and ${sessionEnd} > ${ts(start)}
    ),
    pieces as (
      select d::date as day, grant_id, ${keys}, r * tstzrange(${dayStart(sql`d::date`)}, ${dayStart(sql`d::date + 1`)}) as r
      from sess cross join lateral generate_series(${utcDay(sql`lower(r)`)}, ${utcDay(sql`upper(r) - interval '1 microsecond'`)}, interval '1 day') d
      where not isempty(r)
    ),
    merged as (select day, grant_id, ${keys}, unnest(range_agg(r)) as r from pieces where not isempty(r) group by day, grant_id, ${keys}),
    used as (select day, ${keys}, sum(extract(epoch from upper(r) - lower(r))) / 3600.0 as hours from merged group by day, ${keys})
    insert into metric_privilege_daily (day, kind, category, entitlement_id, department, grants, available_hours, used_hours)
    select coalesce(a.day, u.day), coalesce(a.kind, u.kind)::grant_kind, coalesce(a.category, u.category), coalesce(a.entitlement_id, u.entitlement_id),
      coalesce(a.department, u.department), coalesce(a.grants, 0), coalesce(a.hours, 0), coalesce(u.hours, 0)
    from avail a
    full join used u on u.day = a.day and u.kind = a.kind and u.category = a.category and u.entitlement_id = a.entitlement_id and u.department = a.department
    -- Written in entitlement order, so an app owner's view reads its entitlements' rows from a few pages, not one page a row.
    order by 4, 1`);
}

/** Folds evidence with ids in (after, upTo] into each grant's last use: latest session start or successful usage event. */
async function foldLastUse(db: Executor, w: { sessionsAfter: number; sessionsUpTo: number; usageAfter: number; usageUpTo: number }) {
  await db.execute(sql`
    insert into metric_grant_last_use (grant_id, last_used_at)
    select grant_id, max(at) from (
      select grant_id, started_at as at from privileged_sessions where id > ${w.sessionsAfter} and id <= ${w.sessionsUpTo} and grant_id is not null
      union all
      select grant_id, occurred_at from usage_events where id > ${w.usageAfter} and id <= ${w.usageUpTo} and grant_id is not null and not failed
    ) x group by grant_id
    on conflict (grant_id) do update set last_used_at = greatest(metric_grant_last_use.last_used_at, excluded.last_used_at)`);
}

/**
 * Rewrites the per-application running totals from fromDay (from the first day when there are
 * none yet): the total on the day before, plus each day's hours summed over the application's
 * entitlement rows. Every application that has a total gets a row every day, so a period's
 * hours are always the difference of two rows. Days before the first (but the base) are dropped.
 */
async function refreshApplicationTotals(tx: Executor, days: { fromDay: string; oldest: string; today: string }) {
  const [has] = await tx.execute<{ any: boolean }>(sql`select exists (select 1 from metric_privilege_app_running) as any`);
  const from = has?.any ? days.fromDay : days.oldest;
  await tx.execute(sql`delete from metric_privilege_app_running where day >= ${from}::date or day < ${days.oldest}::date - 1`);
  await tx.execute(sql`
    with daily as (
      select r.day, e.application_id, sum(r.available_hours) as available, sum(r.used_hours) as used
      from metric_privilege_daily r join entitlements e on e.id = r.entitlement_id
      where r.day >= ${from}::date group by 1, 2
    ),
    base as (select application_id, available_hours, used_hours from metric_privilege_app_running where day = ${from}::date - 1),
    apps as (select application_id from daily union select application_id from base),
    days as (select d::date as day from generate_series(${from}::date, ${days.today}::date, interval '1 day') d)
    insert into metric_privilege_app_running (day, application_id, available_hours, used_hours)
    select s.day, a.application_id,
      coalesce(b.available_hours, 0) + sum(coalesce(d.available, 0)) over w,
      coalesce(b.used_hours, 0) + sum(coalesce(d.used, 0)) over w
    from apps a cross join days s
    left join daily d on d.application_id = a.application_id and d.day = s.day
    left join base b on b.application_id = a.application_id
    window w as (partition by a.application_id order by s.day)`);
}

/** Brings the rollup up to now. Several instances may run it: one at a time (advisory lock), the others stand down. */
export async function refreshPrivilegeRollup(deps: Deps, options: { full?: boolean } = {}) {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const [lock] = await tx.execute<{ locked: boolean }>(sql`select pg_try_advisory_xact_lock(hashtext('accord.metric_privilege_daily')) as locked`);
    if (!lock?.locked) return { skipped: true as const };
    const oldest = dayOf(new Date(startOfDay(dayOf(now)).getTime() - (ROLLUP_DAYS - 1) * DAY_MS));
    const [state] = await tx.select().from(metricRollups).where(eq(metricRollups.name, ROLLUP));
    const [watermark] = await tx.execute<{ id: number | null; usage: number | null }>(
      sql`select (select max(id) from privileged_sessions)::bigint as id, (select max(id) from usage_events)::bigint as usage`,
    );
    const usageWatermark = Number(watermark?.usage ?? 0);
    const sessionWatermark = Number(watermark?.id ?? 0);
    const fresh = !state || options.full;
    if (fresh) await tx.execute(sql`truncate metric_grant_last_use`);
    await foldLastUse(tx, { sessionsAfter: fresh ? 0 : state!.sessionWatermark, sessionsUpTo: sessionWatermark, usageAfter: fresh ? 0 : state!.usageWatermark, usageUpTo: usageWatermark });
    let fromDay = oldest;
    if (state && !options.full && state.firstDay <= oldest) {
      const last = ts(state.computedThrough);
      const [dirty] = await tx.execute<{ at: string | null }>(sql`select least(
        (select min(granted_at) from grants where created_at > ${last}),
        (select min(ended_at) from grants where updated_at > ${last} and ended_at is not null),
        (select min(starts_at) from activations where created_at > ${last}),
        (select min(started_at) from privileged_sessions where id > ${state.sessionWatermark})) as at`);
      fromDay = dayOf(state.computedThrough);
      if (dirty?.at) {
        const dirtyDay = dayOf(new Date(dirty.at));
        if (dirtyDay < fromDay) fromDay = dirtyDay;
      }
      if (fromDay < oldest) fromDay = oldest;
    }
    await tx.execute(sql`delete from metric_privilege_daily where day >= ${fromDay}::date or day < ${oldest}::date`);
    const period: Period = { fromDay, toDay: dayOf(now), start: startOfDay(fromDay), end: now, days: 0 };
    await insertRollupRows(tx, { db: tx, scope: EVERYTHING, filters: {}, period, now });
    // Totals follow the per-entitlement rows; all of them when there are none yet (a database that had the rollup before the totals).
    const [hasTotals] = await tx.execute<{ any: boolean }>(sql`select exists (select 1 from metric_privilege_daily_totals) as any`);
    const totalsFrom = hasTotals?.any ? fromDay : oldest;
    await tx.execute(sql`delete from metric_privilege_daily_totals where day >= ${totalsFrom}::date or day < ${oldest}::date`);
    await tx.execute(sql`
      insert into metric_privilege_daily_totals (day, kind, category, department, grants, available_hours, used_hours)
      select day, kind, category, department, sum(grants), sum(available_hours), sum(used_hours)
      from metric_privilege_daily where day >= ${totalsFrom}::date group by day, kind, category, department`);
    await refreshApplicationTotals(tx, { fromDay, oldest, today: dayOf(now) });
    // Unused privilege as of this moment, from the last use just folded in: the same SQL the list behind the chart runs.
    await tx.execute(sql`delete from metric_unused_snapshot`);
    const asOfNow: MetricContext = { db: tx, scope: EVERYTHING, filters: {}, period: { ...period, end: now }, now };
    await tx.execute(sql`
      with ${idleSql(asOfNow, true)}
      insert into metric_unused_snapshot (bucket, category, entitlement_id, department, grants, never_used)
      select bucket, category, entitlement_id, department, count(*), count(*) filter (where last_used is null)
      from bucketed group by bucket, category, entitlement_id, department`);
    if (fromDay === oldest) await tx.execute(sql`analyze metric_privilege_daily; analyze metric_privilege_daily_totals; analyze metric_privilege_app_running`);
    const values = { firstDay: oldest, computedThrough: now, sessionWatermark, usageWatermark, updatedAt: now };
    await tx
      .insert(metricRollups)
      .values({ name: ROLLUP, ...values })
      .onConflictDoUpdate({ target: metricRollups.name, set: values });
    return { skipped: false as const, fromDay, computedThrough: now };
  });
}
