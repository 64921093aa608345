import { sql, type SQL } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "@/db/queries/cursor";
import type { Actor } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import type { MetricFilters } from "./filters";
import { accessFilterSql, grantScopeSql, metricContext, num, PAGE_SIZE, round1, ts, utcDay, type ItemPage, type MetricContext } from "./sql";

/**
 * Revocations, scoped and filtered by the access they remove.
 * - Time to verified: from the moment the decision reached the pipeline (requested_at: at once
 *   for "removals on decision", at close otherwise, at expiry for time-bound access) to verified
 *   in the target, for revocations verified in the period; median and 90th percentile (continuous
 *   percentiles), per ISO week (Monday, UTC) of verification and over the whole period.
 * - Failed: revocations whose current status is failed, now, whenever requested.
 * - Overdue: not yet verified nor failed, past their SLA, now.
 * With the campaign filter: the revocations its items' decisions caused.
 */
function revocationsSql(ctx: MetricContext): SQL {
  return sql`rv as (
      select r.id, r.grant_id, r.cause::text as cause, r.status::text as status, r.requested_at, r.verified_at, r.failed_at, r.sla_due_at, r.last_error,
        g.identity_id, e.application_id, e.name as entitlement_name, i.display_name as identity_name
      from revocations r
      join grants g on g.id = r.grant_id
      join entitlements e on e.id = g.entitlement_id
      join identities i on i.id = g.identity_id
      where ${accessFilterSql(ctx.filters)} and ${grantScopeSql(ctx.scope)}
        ${ctx.filters.campaignId ? sql`and r.id in (select ri.revocation_id from review_items ri where ri.campaign_id = ${ctx.filters.campaignId} and ri.revocation_id is not null)` : sql``}
    )`;
}

const HOURS = sql.raw(`extract(epoch from verified_at - requested_at) / 3600.0`);

export async function revocationMetrics(deps: Deps, actor: Actor, filters: MetricFilters) {
  const ctx = await metricContext(deps, actor, filters);
  const { start, end } = ctx.period;
  const verifiedInPeriod = sql`status = 'verified' and verified_at >= ${ts(start)} and verified_at < ${ts(end)}`;
  const [weeks, [totals]] = await Promise.all([
    ctx.db.execute<{ week: string; verified: number; median: number; p90: number }>(sql`
      with ${revocationsSql(ctx)}
      select to_char(date_trunc('week', ${utcDay(sql`verified_at`)}), 'YYYY-MM-DD') as week, count(*)::int as verified,
        percentile_cont(0.5) within group (order by ${HOURS})::float8 as median, percentile_cont(0.9) within group (order by ${HOURS})::float8 as p90
      from rv where ${verifiedInPeriod} group by 1 order by 1`),
    ctx.db.execute<{ verified: number; median: number | null; p90: number | null; failed: number; overdue: number }>(sql`
      with ${revocationsSql(ctx)}
      select (count(*) filter (where ${verifiedInPeriod}))::int as verified,
        (percentile_cont(0.5) within group (order by ${HOURS}) filter (where ${verifiedInPeriod}))::float8 as median,
        (percentile_cont(0.9) within group (order by ${HOURS}) filter (where ${verifiedInPeriod}))::float8 as p90,
        (count(*) filter (where status = 'failed'))::int as failed,
        (count(*) filter (where status in ('requested', 'dispatched', 'applied') and sla_due_at < ${ts(ctx.now)}))::int as overdue
      from rv`),
  ]);
  const hours = (v: number | null | undefined) => (v === null || v === undefined ? null : round1(Number(v)));
  return {
    asOf: ctx.now,
    period: ctx.period,
    verified: num(totals?.verified),
    medianHours: hours(totals?.median),
    p90Hours: hours(totals?.p90),
    failed: num(totals?.failed),
    overdue: num(totals?.overdue),
    weeks: weeks.map((w) => ({ week: w.week, verified: num(w.verified), medianHours: hours(w.median)!, p90Hours: hours(w.p90)! })),
  };
}

export type RevocationSelection = { view: "verified"; week?: string } | { view: "failed" } | { view: "overdue" };

export interface RevocationRow {
  revocationId: string;
  grantId: string;
  identityName: string;
  entitlementName: string;
  cause: string;
  status: string;
  requestedAt: Date;
  verifiedAt: Date | null;
  slaDueAt: Date;
  lastError: string | null;
  hoursToVerified: number | null;
}

export async function listRevocations(deps: Deps, actor: Actor, filters: MetricFilters, selection: RevocationSelection, cursor?: string | null): Promise<ItemPage<RevocationRow>> {
  const ctx = await metricContext(deps, actor, filters);
  const after = decodeCursor(cursor)?.[0];
  let where: SQL;
  if (selection.view === "verified") {
    where = sql`status = 'verified' and verified_at >= ${ts(ctx.period.start)} and verified_at < ${ts(ctx.period.end)}`;
    if (selection.week) where = sql`${where} and date_trunc('week', ${utcDay(sql`verified_at`)}) = ${selection.week}::date`;
  } else if (selection.view === "failed") where = sql`status = 'failed'`;
  else where = sql`status in ('requested', 'dispatched', 'applied') and sla_due_at < ${ts(ctx.now)}`;
  const rows = await ctx.db.execute<{
    id: string;
    grant_id: string;
    identity_name: string;
    entitlement_name: string;
    cause: string;
    status: string;
    requested_at: string;
    verified_at: string | null;
    sla_due_at: string;
    last_error: string | null;
    hours: number | null;
    total: number;
  }>(sql`
    with ${revocationsSql(ctx)}, picked as (select *, count(*) over () as total from rv where ${where})
    select id, grant_id, identity_name, entitlement_name, cause, status, requested_at, verified_at, sla_due_at, last_error, (${HOURS})::float8 as hours, total::int as total
    from picked where ${after ? sql`id > ${String(after)}::uuid` : sql`true`}
    order by id limit ${PAGE_SIZE + 1}`);
  const page = rows.slice(0, PAGE_SIZE);
  return {
    total: num(rows[0]?.total),
    rows: page.map((r) => ({
      revocationId: r.id,
      grantId: r.grant_id,
      identityName: r.identity_name,
      entitlementName: r.entitlement_name,
      cause: r.cause,
      status: r.status,
      requestedAt: new Date(r.requested_at),
      verifiedAt: r.verified_at ? new Date(r.verified_at) : null,
      slaDueAt: new Date(r.sla_due_at),
      lastError: r.last_error,
      hoursToVerified: r.hours === null ? null : round1(Number(r.hours)),
    })),
    nextCursor: rows.length > PAGE_SIZE ? encodeCursor([page[page.length - 1]!.id]) : null,
  };
}
