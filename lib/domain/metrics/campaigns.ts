import { sql, type SQL } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "@/db/queries/cursor";
import type { Actor } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import type { MetricFilters } from "./filters";
import { accessFilterSql, dayStart, grantScopeSql, metricContext, num, PAGE_SIZE, round1, ts, utcDay, day as dayParam, type ItemPage, type MetricContext } from "./sql";

/**
 * Campaigns. The items counted are those of certification campaigns (not the standing ad-hoc
 * queue, not cancelled ones) running at some time in the period: launched before its end and
 * not closed before its start; with the campaign filter, that campaign's items, whatever kind of
 * campaign it is. Scoped like the access they review.
 * - Completion on a day: items decided by the end of that UTC day / items launched by then.
 *   "Decided" is the item's current decision: one undone since does not count.
 * - Overdue: items still pending past their due date (the item's, else the campaign's), now.
 * - Decisions by recommendation: items decided in the period, by what was recommended and
 *   whether the decision followed it (certify/certify, revoke/revoke, reduce/reduce).
 */
export const RECOMMENDATIONS = ["certify", "revoke", "reduce", "none"] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

function itemsSql(ctx: MetricContext): SQL {
  return sql`items as (
      select ri.id, ri.campaign_id, c.name as campaign_name, ri.snapshot_at, ri.decided_at, ri.status::text as status, ri.decision::text as decision,
        ri.recommendation::text as recommendation, coalesce(ri.due_at, c.due_at) as due_at, ri.identity_id, ri.entitlement_id, ri.reviewer_id
      from review_items ri
      join campaigns c on c.id = ri.campaign_id
      join identities i on i.id = ri.identity_id
      join entitlements e on e.id = ri.entitlement_id
      where ${ctx.filters.campaignId ? sql`c.id = ${ctx.filters.campaignId}` : sql`not c.ad_hoc and c.status <> 'cancelled'`} and c.launched_at is not null
        and c.launched_at < ${ts(ctx.period.end)} and (c.closed_at is null or c.closed_at >= ${ts(ctx.period.start)})
        and ${accessFilterSql(ctx.filters)} and ${grantScopeSql(ctx.scope, "ri.identity_id", "ri.entitlement_id")}
    )`;
}

export interface CompletionDay {
  day: string;
  items: number;
  decided: number;
  /** Percent decided; null on a day with no items yet. */
  completion: number | null;
}

export async function campaignMetrics(deps: Deps, actor: Actor, filters: MetricFilters) {
  const ctx = await metricContext(deps, actor, filters);
  const { fromDay, toDay, start, end } = ctx.period;
  const [days, [counts], byRecommendation] = await Promise.all([
    ctx.db.execute<{ day: string; items: number; decided: number }>(sql`
      with ${itemsSql(ctx)},
      deltas as (
        select greatest(${utcDay(sql`snapshot_at`)}, ${dayParam(fromDay)}) as day, 1 as di, 0 as dd from items where snapshot_at < ${ts(end)}
        union all
        select greatest(${utcDay(sql`decided_at`)}, ${dayParam(fromDay)}), 0, 1 from items where decided_at < ${ts(end)}
      ),
      per_day as (select day, sum(di) as di, sum(dd) as dd from deltas group by 1),
      series as (select d::date as day from generate_series(${dayParam(fromDay)}, ${dayParam(toDay)}, interval '1 day') d)
      select to_char(s.day, 'YYYY-MM-DD') as day, (sum(coalesce(p.di, 0)) over w)::int as items, (sum(coalesce(p.dd, 0)) over w)::int as decided
      from series s left join per_day p on p.day = s.day
      window w as (order by s.day) order by s.day`),
    ctx.db.execute<{ items: number; overdue: number }>(sql`
      with ${itemsSql(ctx)}
      select count(*)::int as items, (count(*) filter (where status = 'pending' and due_at < ${ts(ctx.now)}))::int as overdue from items`),
    ctx.db.execute<{ recommendation: Recommendation; followed: number; other: number }>(sql`
      with ${itemsSql(ctx)}
      select recommendation, (count(*) filter (where decision = recommendation))::int as followed, (count(*) filter (where decision <> recommendation))::int as other
      from items where decided_at >= ${ts(start)} and decided_at < ${ts(end)} and decision in ('certify', 'revoke', 'reduce')
      group by 1`),
  ]);
  return {
    asOf: ctx.now,
    period: ctx.period,
    items: num(counts?.items),
    overdue: num(counts?.overdue),
    completion: days.map((d): CompletionDay => ({ day: d.day, items: num(d.items), decided: num(d.decided), completion: num(d.items) > 0 ? round1((100 * num(d.decided)) / num(d.items)) : null })),
    byRecommendation: RECOMMENDATIONS.map((recommendation) => {
      const r = byRecommendation.find((x) => x.recommendation === recommendation);
      const followed = num(r?.followed);
      const other = num(r?.other);
      return { recommendation, followed, other, followedShare: followed + other > 0 ? round1((100 * followed) / (followed + other)) : null };
    }),
  };
}

export type CampaignSelection = { view: "launched"; day: string; decided?: boolean } | { view: "overdue" } | { view: "recommendation"; recommendation: Recommendation; followed: boolean };

export interface ReviewItemRow {
  itemId: string;
  campaignId: string;
  campaignName: string;
  identityName: string;
  entitlementName: string;
  applicationName: string;
  status: string;
  decision: string | null;
  recommendation: string;
  dueAt: Date | null;
  decidedAt: Date | null;
}

export async function listCampaignItems(deps: Deps, actor: Actor, filters: MetricFilters, selection: CampaignSelection, cursor?: string | null): Promise<ItemPage<ReviewItemRow>> {
  const ctx = await metricContext(deps, actor, filters);
  const after = decodeCursor(cursor)?.[0];
  let where: SQL;
  if (selection.view === "launched") {
    const dayEnd = sql`least(${dayStart(sql`${dayParam(selection.day)} + 1`)}, ${ts(ctx.period.end)})`;
    where = sql`snapshot_at < ${dayEnd}`;
    if (selection.decided !== undefined) where = selection.decided ? sql`${where} and decided_at < ${dayEnd}` : sql`${where} and (decided_at is null or decided_at >= ${dayEnd})`;
  } else if (selection.view === "overdue") {
    where = sql`status = 'pending' and due_at < ${ts(ctx.now)}`;
  } else {
    where = sql`decided_at >= ${ts(ctx.period.start)} and decided_at < ${ts(ctx.period.end)} and decision in ('certify', 'revoke', 'reduce')
      and recommendation = ${selection.recommendation} and ${selection.followed ? sql`decision = recommendation` : sql`decision <> recommendation`}`;
  }
  const rows = await ctx.db.execute<{
    id: string;
    campaign_id: string;
    campaign_name: string;
    identity_name: string;
    entitlement_name: string;
    application_name: string;
    status: string;
    decision: string | null;
    recommendation: string;
    due_at: string | null;
    decided_at: string | null;
    total: number;
  }>(sql`
    with ${itemsSql(ctx)}, picked as (select *, count(*) over () as total from items where ${where})
    select p.id, p.campaign_id, p.campaign_name, i.display_name as identity_name, e.name as entitlement_name, a.name as application_name,
      p.status, p.decision, p.recommendation, p.due_at, p.decided_at, p.total::int as total
    from picked p join identities i on i.id = p.identity_id join entitlements e on e.id = p.entitlement_id join applications a on a.id = e.application_id
    where ${after ? sql`p.id > ${String(after)}::uuid` : sql`true`}
    order by p.id limit ${PAGE_SIZE + 1}`);
  const page = rows.slice(0, PAGE_SIZE);
  return {
    total: num(rows[0]?.total),
    rows: page.map((r) => ({
      itemId: r.id,
      campaignId: r.campaign_id,
      campaignName: r.campaign_name,
      identityName: r.identity_name,
      entitlementName: r.entitlement_name,
      applicationName: r.application_name,
      status: r.status,
      decision: r.decision,
      recommendation: r.recommendation,
      dueAt: r.due_at ? new Date(r.due_at) : null,
      decidedAt: r.decided_at ? new Date(r.decided_at) : null,
    })),
    nextCursor: rows.length > PAGE_SIZE ? encodeCursor([page[page.length - 1]!.id]) : null,
  };
}
