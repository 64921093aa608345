import type { ExportScope } from "@/db/queries/evidence-export-tables";
import { getCampaignForExport } from "@/db/queries/export-records";
import type { Actor } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import { campaignMetrics } from "@/lib/domain/metrics/campaigns";
import { reviewerDiligence } from "@/lib/domain/metrics/diligence";
import { dayOf, filterQuery, MAX_PERIOD_DAYS, startOfDay, type MetricFilters } from "@/lib/domain/metrics/filters";
import { revocationMetrics } from "@/lib/domain/metrics/revocations";

const DAY_MS = 86_400_000;
const addDays = (day: string, n: number) => dayOf(new Date(startOfDay(day).getTime() + n * DAY_MS));

/**
 * The export's scope as a dashboard filter. A campaign: the campaign filter, over the days from
 * its launch to today, so every decision on its items and every revocation they caused counts
 * whenever it happened. A period: its days. Either way at most MAX_PERIOD_DAYS days (a longer
 * period keeps its last ones, a campaign its first ones).
 */
export async function exportFilters(deps: Deps, scope: ExportScope): Promise<MetricFilters> {
  const today = dayOf(deps.now());
  let from: string;
  let to: string;
  if (scope.kind === "campaign") {
    const campaign = await getCampaignForExport(deps.db, scope.campaignId);
    const launched = campaign?.launchedAt ?? campaign?.startsAt ?? campaign?.createdAt ?? deps.now();
    from = dayOf(launched);
    to = addDays(from, MAX_PERIOD_DAYS - 1) < today ? addDays(from, MAX_PERIOD_DAYS - 1) : today;
  } else {
    from = dayOf(scope.from);
    to = dayOf(new Date(scope.to.getTime() - 1));
    if (addDays(to, -(MAX_PERIOD_DAYS - 1)) > from) from = addDays(to, -(MAX_PERIOD_DAYS - 1));
  }
  if (from > today) from = today;
  if (to < from) to = from;
  return scope.kind === "campaign" ? { campaignId: scope.campaignId, from, to } : { from, to };
}

/**
 * The bundle summary's key figures: the dashboard's own metric functions (access reviews,
 * reviewer diligence, revocations) for the export's scope as a dashboard filter, so the summary,
 * the dashboard's chart and the list behind it give the same number. Run in the export's
 * snapshot (deps.db is its transaction), as the exporting auditor or admin, who sees everything.
 */
export async function keyFigures(deps: Deps, actor: Actor, scope: ExportScope) {
  const filters = await exportFilters(deps, scope);
  const [campaigns, diligence, revocations] = await Promise.all([campaignMetrics(deps, actor, filters), reviewerDiligence(deps, actor, filters), revocationMetrics(deps, actor, filters)]);
  return { filters, dashboardQuery: new URLSearchParams(filterQuery(filters)).toString(), period: campaigns.period, campaigns, diligence, revocations };
}

export type KeyFigures = Awaited<ReturnType<typeof keyFigures>>;
