import { sql, type SQL } from "drizzle-orm";
import type { Actor } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import { decodeCursor, encodeCursor } from "@/db/queries/cursor";
import type { IdentityCategory, MetricFilters } from "./filters";
import { rollupView } from "./rollup";
import { CATEGORY, dayStart, executeMetric, metricContext, num, PAGE_SIZE, round1, day as dayParam, type ItemPage } from "./sql";
import { usedSql, windowsSql, type GrantKind } from "./windows";

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

export type AvailabilitySelection = { kind?: GrantKind; category?: IdentityCategory; day: string } | { applicationId: string };

/**
 * The grants behind a point of the availability charts: those usable on a day (of a kind and
 * identity type), or those with privilege available or used in an application over the period.
 * The same windows as the charts, so the total equals the chart's count.
 */
export async function listAvailableGrants(
  deps: Deps,
  actor: Actor,
  filters: MetricFilters,
  selection: AvailabilitySelection,
  cursor?: string | null,
): Promise<ItemPage<AvailableGrantRow> & { availableHours: number; usedHours: number }> {
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
  const rows = await executeMetric<{
    grant_id: string;
    identity_id: string;
    display_name: string;
    category: IdentityCategory;
    application_name: string;
    entitlement_name: string;
    kind: GrantKind;
    available: number;
    used: number;
    total: number;
    total_available: number;
    total_used: number;
  }>(
    ctx.db,
    sql`
    with ${"day" in selection ? windowsSql(ctx, { day: selection.day, kind: selection.kind }) : sql`${windowsSql(ctx, { applicationId: selection.applicationId })}, ${usedSql(ctx, { applicationId: selection.applicationId })}`}, ${pick},
    counted as (select p.*, count(*) over () as total, sum(p.available) over () as total_available, sum(p.used) over () as total_used from picked p)
    select c.grant_id, g.identity_id, i.display_name, ${CATEGORY} as category, a.name as application_name, e.name as entitlement_name, g.kind,
      c.available::float8 as available, c.used::float8 as used, c.total::int as total, c.total_available::float8 as total_available, c.total_used::float8 as total_used
    from counted c
    join grants g on g.id = c.grant_id join identities i on i.id = g.identity_id
    join entitlements e on e.id = g.entitlement_id join applications a on a.id = e.application_id
    where ${after ? sql`c.grant_id > ${String(after)}::uuid` : sql`true`}
    order by c.grant_id
    limit ${PAGE_SIZE + 1}`,
  );
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
