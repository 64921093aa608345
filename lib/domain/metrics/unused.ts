import { sql, type SQL } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "@/db/queries/cursor";
import type { Actor } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import type { IdentityCategory, MetricFilters } from "./filters";
import { readRollupState, rollupFilterSql, rollupView, type RollupView } from "./rollup";
import { accessFilterSql, CATEGORY, countedGrantsSql, GRANT_END, executeMetric, metricContext, num, PAGE_SIZE, ts, type ItemPage, type MetricContext } from "./sql";

/**
 * Unused standing privilege, as of the end of the period: standing privileged grants in force
 * then, by days since their last use. Last use is the start of the latest privileged session or
 * the latest successful usage event on the grant, before that moment; a grant never used counts
 * from when it was granted. Buckets: in use (under 30 days), 30–59, 60–89, 90+ days.
 */
export const UNUSED_BUCKETS = ["in_use", "30", "60", "90"] as const;
export type UnusedBucket = (typeof UNUSED_BUCKETS)[number];

/**
 * Views that read the rollup (rollupView), over a period ending now, read last use from
 * metric_grant_last_use as of the rollup's moment (chart and list alike), and the chart reads the
 * snapshot the rollup took (an app owner's people's other access computed beside it); others
 * probe the evidence per grant.
 */
async function unusedContext(ctx: MetricContext): Promise<{ ctx: MetricContext; view: RollupView | null }> {
  const view = await rollupView(ctx);
  const state = view ? await readRollupState(ctx.db) : null;
  if (view && state && ctx.period.end.getTime() >= state.computedThrough.getTime()) return { ctx: view.ctx, view };
  return { ctx, view: null };
}

export function idleSql(ctx: MetricContext, rolled: boolean): SQL {
  const at = ts(ctx.period.end);
  const lastUsed = rolled
    ? sql`(select least(l.last_used_at, ${at}) from metric_grant_last_use l where l.grant_id = g.id)`
    : sql`greatest(
          (select max(s.started_at) from privileged_sessions s where s.grant_id = g.id and s.started_at <= ${at}),
          (select max(u.occurred_at) from usage_events u where u.grant_id = g.id and u.occurred_at <= ${at} and not u.failed)
        )`;
  // Materialised: last_used is read several times below, and an inlined CTE would run its lookups each time.
  return sql`cand as materialized (
      select g.id as grant_id, g.granted_at, ${CATEGORY} as category, g.entitlement_id, coalesce(i.department, '') as department, ${lastUsed} as last_used
      from grants g
      join entitlements e on e.id = g.entitlement_id and e.privileged
      join identities i on i.id = g.identity_id
      where g.kind = 'standing' and g.granted_at <= ${at} and coalesce(${GRANT_END}, 'infinity') > ${at}
        and ${accessFilterSql(ctx.filters)} and ${countedGrantsSql(ctx)}
    ),
    idle as (
      select *, floor(extract(epoch from ${at} - coalesce(last_used, granted_at)) / 86400)::int as idle_days from cand
    ),
    bucketed as (
      select *, case when idle_days >= 90 then '90' when idle_days >= 60 then '60' when idle_days >= 30 then '30' else 'in_use' end as bucket from idle
    )`;
}

export interface UnusedRow {
  bucket: UnusedBucket;
  grants: Record<IdentityCategory, number>;
  /** Of those, never used at all. */
  neverUsed: number;
}

export async function unusedStandingPrivilege(deps: Deps, actor: Actor, filters: MetricFilters) {
  const { ctx, view } = await unusedContext(await metricContext(deps, actor, filters));
  // The rollup's snapshot was computed by idleSql at its moment, over everything; the list below re-runs it.
  const rows = view
    ? await executeMetric<{ bucket: UnusedBucket; category: IdentityCategory; grants: number; never: number }>(
        ctx.db,
        sql`
        ${view.live ? sql`with ${idleSql(view.live, true)}` : sql``}
        select bucket, category, sum(grants)::int as grants, sum(never)::int as never from (
          select r.bucket, r.category, r.grants, r.never_used as never
          from metric_unused_snapshot r join entitlements e on e.id = r.entitlement_id where ${rollupFilterSql(view)}
          ${view.live ? sql`union all select bucket, category, 1, (last_used is null)::int from bucketed` : sql``}
        ) x group by 1, 2`,
      )
    : await executeMetric<{ bucket: UnusedBucket; category: IdentityCategory; grants: number; never: number }>(
        ctx.db,
        sql`
        with ${idleSql(ctx, false)}
        select bucket, category, count(*)::int as grants, (count(*) filter (where last_used is null))::int as never from bucketed group by 1, 2`,
      );
  const buckets: UnusedRow[] = UNUSED_BUCKETS.map((bucket) => ({ bucket, grants: { human: 0, non_human: 0, third_party: 0 }, neverUsed: 0 }));
  for (const r of rows) {
    const b = buckets.find((x) => x.bucket === r.bucket)!;
    b.grants[r.category] = num(r.grants);
    b.neverUsed += num(r.never);
  }
  return { asOf: ctx.period.end, period: ctx.period, buckets };
}

export interface UnusedGrantRow {
  grantId: string;
  identityId: string;
  identityName: string;
  category: IdentityCategory;
  applicationName: string;
  entitlementName: string;
  grantedAt: Date;
  lastUsedAt: Date | null;
  idleDays: number;
}

export async function listUnusedGrants(
  deps: Deps,
  actor: Actor,
  filters: MetricFilters,
  selection: { bucket: UnusedBucket; category?: IdentityCategory },
  cursor?: string | null,
): Promise<ItemPage<UnusedGrantRow>> {
  const { ctx, view } = await unusedContext(await metricContext(deps, actor, filters));
  const after = decodeCursor(cursor)?.[0];
  const rows = await executeMetric<{
    grant_id: string;
    identity_id: string;
    display_name: string;
    category: IdentityCategory;
    application_name: string;
    entitlement_name: string;
    granted_at: string;
    last_used: string | null;
    idle_days: number;
    total: number;
  }>(
    ctx.db,
    sql`
    with ${idleSql(ctx, view !== null)},
    picked as (select *, count(*) over () as total from bucketed where bucket = ${selection.bucket} ${selection.category ? sql`and category = ${selection.category}` : sql``})
    select p.grant_id, g.identity_id, i.display_name, p.category, a.name as application_name, e.name as entitlement_name, p.granted_at, p.last_used, p.idle_days, p.total::int as total
    from picked p join grants g on g.id = p.grant_id join identities i on i.id = g.identity_id
    join entitlements e on e.id = g.entitlement_id join applications a on a.id = e.application_id
    where ${after ? sql`p.grant_id > ${String(after)}::uuid` : sql`true`}
    order by p.grant_id limit ${PAGE_SIZE + 1}`,
  );
  const page = rows.slice(0, PAGE_SIZE);
  return {
    total: num(rows[0]?.total),
    rows: page.map((r) => ({
      grantId: r.grant_id,
      identityId: r.identity_id,
      identityName: r.display_name,
      category: r.category,
      applicationName: r.application_name,
      entitlementName: r.entitlement_name,
      grantedAt: new Date(r.granted_at),
      lastUsedAt: r.last_used ? new Date(r.last_used) : null,
      idleDays: num(r.idle_days),
    })),
    nextCursor: rows.length > PAGE_SIZE ? encodeCursor([page[page.length - 1]!.grant_id]) : null,
  };
}
