import { sql, type SQL } from "drizzle-orm";
import { startOfDay } from "./filters";
import { accessFilterSql, CATEGORY, countedGrantsSql, GRANT_END, ts, utcDay, type MetricContext } from "./sql";

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

/** The windows CTEs (base, windows, spans) for the context's filters, scope and period. */
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

/**
 * Privilege-hours used: privileged sessions on the grant, clipped to the period, overlapping
 * sessions of one grant merged (hours in which the privilege was in use, counted once), a
 * session crossing midnight split between its days. Sessions not linked to a grant are use
 * without approval: a finding, not use of available privilege.
 */
export function usedSql(ctx: MetricContext, narrow: Narrow = {}): SQL {
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
