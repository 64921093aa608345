import { sql, type SQL } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "@/db/queries/cursor";
import type { Actor } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import { Invalid } from "@/lib/errors";
import type { MetricFilters } from "./filters";
import { CATEGORY, identityScopeSql, executeMetric, metricContext, num, ownsAccessSql, PAGE_SIZE, type ItemPage, type MetricContext } from "./sql";

/**
 * Non-human identities that need attention, now (ownership has no history to go back over):
 * those not decommissioned (status other than leaver) with no owner, with an owner who has left,
 * and with privileged standing access (a live standing grant of a privileged entitlement).
 * The application and owner filters keep NHIs that hold live access matching them; department
 * is the NHI's own.
 */
export const NHI_CONCERNS = ["no_owner", "owner_leaver", "privileged_standing"] as const;
export type NhiConcern = (typeof NHI_CONCERNS)[number];

const LIVE = sql.raw(`g.status in ('active', 'pending_revocation')`);

function accessMatch(filters: MetricFilters): SQL {
  const parts: SQL[] = [];
  if (filters.applicationId) parts.push(sql`e.application_id = ${filters.applicationId}`);
  if (filters.ownerId) parts.push(ownsAccessSql(filters.ownerId));
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

function nhiSql(ctx: MetricContext): SQL {
  const f = ctx.filters;
  const access =
    f.applicationId || f.ownerId ? sql`and exists (select 1 from grants g join entitlements e on e.id = g.entitlement_id where g.identity_id = i.id and ${LIVE} and ${accessMatch(f)})` : sql``;
  return sql`nhi as (
      select i.id, i.display_name, i.type, i.owner_id, o.display_name as owner_name, i.department,
        i.owner_id is null as no_owner,
        coalesce(o.status = 'leaver', false) as owner_leaver,
        exists (select 1 from grants g join entitlements e on e.id = g.entitlement_id and e.privileged
                where g.identity_id = i.id and g.kind = 'standing' and ${LIVE} and ${accessMatch(f)}) as privileged_standing
      from identities i left join identities o on o.id = i.owner_id
      where i.kind = 'non_human' and i.status <> 'leaver'
        ${f.department ? sql`and i.department = ${f.department}` : sql``}
        ${f.identityType ? sql`and ${CATEGORY} = ${f.identityType}` : sql``}
        ${access}
        and ${identityScopeSql(ctx.scope)}
    )`;
}

export async function nonHumanIdentityConcerns(deps: Deps, actor: Actor, filters: MetricFilters) {
  const ctx = await metricContext(deps, actor, filters);
  const [row] = await executeMetric<{ total: number; no_owner: number; owner_leaver: number; privileged_standing: number }>(
    ctx.db,
    sql`
    with ${nhiSql(ctx)}
    select count(*)::int as total, (count(*) filter (where no_owner))::int as no_owner,
      (count(*) filter (where owner_leaver))::int as owner_leaver, (count(*) filter (where privileged_standing))::int as privileged_standing
    from nhi`,
  );
  return {
    asOf: ctx.now,
    total: num(row?.total),
    concerns: NHI_CONCERNS.map((concern) => ({ concern, identities: num(row?.[concern]) })),
  };
}

export interface NhiRow {
  identityId: string;
  displayName: string;
  type: string;
  ownerId: string | null;
  ownerName: string | null;
  department: string | null;
}

export async function listNhiConcern(deps: Deps, actor: Actor, filters: MetricFilters, concern: NhiConcern, cursor?: string | null): Promise<ItemPage<NhiRow>> {
  if (!NHI_CONCERNS.includes(concern)) throw new Invalid("Unknown concern.", { concern: [`One of ${NHI_CONCERNS.join(", ")}.`] });
  const ctx = await metricContext(deps, actor, filters);
  const after = decodeCursor(cursor)?.[0];
  const rows = await executeMetric<{ id: string; display_name: string; type: string; owner_id: string | null; owner_name: string | null; department: string | null; total: number }>(
    ctx.db,
    sql`
    with ${nhiSql(ctx)}, picked as (select *, count(*) over () as total from nhi where ${sql.raw(concern)})
    select id, display_name, type, owner_id, owner_name, department, total::int as total from picked
    where ${after ? sql`id > ${String(after)}::uuid` : sql`true`}
    order by id limit ${PAGE_SIZE + 1}`,
  );
  const page = rows.slice(0, PAGE_SIZE);
  return {
    total: num(rows[0]?.total),
    rows: page.map((r) => ({ identityId: r.id, displayName: r.display_name, type: r.type, ownerId: r.owner_id, ownerName: r.owner_name, department: r.department })),
    nextCursor: rows.length > PAGE_SIZE ? encodeCursor([page[page.length - 1]!.id]) : null,
  };
}
