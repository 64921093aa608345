import { sql, type SQL } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "@/db/queries/cursor";
import type { Actor } from "@/lib/domain/access/actor";
import { canViewReviewerDiligence } from "@/lib/domain/access/metric-rules";
import type { Deps } from "@/lib/domain/deps";
import { Forbidden } from "@/lib/errors";
import type { MetricFilters } from "./filters";
import { accessFilterSql, metricContext, num, PAGE_SIZE, round1, ts, type ItemPage, type MetricContext } from "./sql";

/**
 * Reviewer diligence, the rubber-stamp signal, for admins and auditors only. Over the decisions
 * made in the period (every certify, revoke and reduce a reviewer made, reassignments and
 * decisions since undone left out), per reviewer: median seconds spent per decision, the share
 * made in bulk, the share that certified, and the share of certifications made in bulk or in under
 * 5 seconds (DESIGN.md's rubber-stamping signal); and the same over all reviewers together.
 * Filters apply to the access the decision was about; the campaign filter to the item's campaign.
 */
export const QUICK_SECONDS = 5;

function decisionsSql(ctx: MetricContext): SQL {
  return sql`dec as (
      select rd.id, rd.actor_id, rd.decision::text as decision, rd.seconds_spent, rd.bulk, rd.created_at, rd.review_item_id,
        ri.identity_id, ri.entitlement_id
      from review_decisions rd
      join review_items ri on ri.id = rd.review_item_id
      join identities i on i.id = ri.identity_id
      join entitlements e on e.id = ri.entitlement_id
      where rd.decision <> 'reassign' and rd.undone_at is null
        and rd.created_at >= ${ts(ctx.period.start)} and rd.created_at < ${ts(ctx.period.end)}
        and ${accessFilterSql(ctx.filters)} ${ctx.filters.campaignId ? sql`and ri.campaign_id = ${ctx.filters.campaignId}` : sql``}
    )`;
}

/** The figures per reviewer and over all reviewers, over the decisions d. */
const AGGREGATES = sql`count(*)::int as decisions,
      (percentile_cont(0.5) within group (order by d.seconds_spent))::float8 as median,
      (count(*) filter (where d.bulk))::int as bulk,
      (count(*) filter (where d.decision = 'certify'))::int as certified,
      (count(*) filter (where d.decision = 'certify' and (d.bulk or coalesce(d.seconds_spent, 0) < ${QUICK_SECONDS})))::int as quick`;

type AggregateRow = { decisions: number; median: number | null; bulk: number; certified: number; quick: number };

const share = (part: number, whole: number) => (whole > 0 ? round1((100 * part) / whole) : 0);

function figuresOf(r: AggregateRow) {
  return {
    decisions: num(r.decisions),
    medianSeconds: r.median === null ? null : round1(Number(r.median)),
    bulkShare: share(num(r.bulk), num(r.decisions)),
    certifiedShare: share(num(r.certified), num(r.decisions)),
    quickCertifyShare: share(num(r.quick), num(r.certified)),
  };
}

export interface DiligenceRow {
  reviewerId: string;
  reviewerName: string;
  decisions: number;
  medianSeconds: number | null;
  bulkShare: number;
  certifiedShare: number;
  quickCertifyShare: number;
}

function ensureAllowed(actor: Actor) {
  const rule = canViewReviewerDiligence(actor);
  if (!rule.allowed) throw new Forbidden(rule.reason);
}

export async function reviewerDiligence(deps: Deps, actor: Actor, filters: MetricFilters, limit = 25) {
  ensureAllowed(actor);
  const ctx = await metricContext(deps, actor, filters);
  const [rows, [all]] = await Promise.all([
    ctx.db.execute<AggregateRow & { actor_id: string; name: string; reviewers: number }>(sql`
      with ${decisionsSql(ctx)}
      select d.actor_id, p.display_name as name, ${AGGREGATES}, (count(*) over ())::int as reviewers
      from dec d join identities p on p.id = d.actor_id
      group by d.actor_id, p.display_name
      order by count(*) desc, p.display_name
      limit ${limit}`),
    ctx.db.execute<AggregateRow>(sql`with ${decisionsSql(ctx)} select ${AGGREGATES} from dec d`),
  ]);
  return {
    asOf: ctx.now,
    period: ctx.period,
    reviewers: num(rows[0]?.reviewers),
    rows: rows.map((r): DiligenceRow => ({ reviewerId: r.actor_id, reviewerName: r.name, ...figuresOf(r) })),
    /** Every decision in the period, whoever made it: what the list of all reviewers' decisions counts. */
    all: { ...figuresOf(all!), certified: num(all?.certified), bulk: num(all?.bulk), quickCertifications: num(all?.quick) },
  };
}

export interface DecisionRow {
  decisionId: string;
  reviewItemId: string;
  decision: string;
  secondsSpent: number | null;
  bulk: boolean;
  decidedAt: Date;
  identityName: string;
  entitlementName: string;
}

/** The decisions behind a reviewer's row, or behind the all-reviewers row when reviewerId is null. */
export async function listReviewerDecisions(deps: Deps, actor: Actor, filters: MetricFilters, reviewerId: string | null, cursor?: string | null): Promise<ItemPage<DecisionRow>> {
  ensureAllowed(actor);
  const ctx = await metricContext(deps, actor, filters);
  const after = decodeCursor(cursor)?.[0];
  const rows = await ctx.db.execute<{
    id: string;
    review_item_id: string;
    decision: string;
    seconds_spent: number | null;
    bulk: boolean;
    created_at: string;
    identity_name: string;
    entitlement_name: string;
    total: number;
  }>(sql`
    with ${decisionsSql(ctx)}, picked as (select *, count(*) over () as total from dec where ${reviewerId ? sql`actor_id = ${reviewerId}` : sql`true`})
    select p.id, p.review_item_id, p.decision, p.seconds_spent, p.bulk, p.created_at, i.display_name as identity_name, e.name as entitlement_name, p.total::int as total
    from picked p join identities i on i.id = p.identity_id join entitlements e on e.id = p.entitlement_id
    where ${after ? sql`p.id > ${String(after)}::uuid` : sql`true`}
    order by p.id limit ${PAGE_SIZE + 1}`);
  const page = rows.slice(0, PAGE_SIZE);
  return {
    total: num(rows[0]?.total),
    rows: page.map((r) => ({
      decisionId: r.id,
      reviewItemId: r.review_item_id,
      decision: r.decision,
      secondsSpent: r.seconds_spent,
      bulk: r.bulk,
      decidedAt: new Date(r.created_at),
      identityName: r.identity_name,
      entitlementName: r.entitlement_name,
    })),
    nextCursor: rows.length > PAGE_SIZE ? encodeCursor([page[page.length - 1]!.id]) : null,
  };
}
