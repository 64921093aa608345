import { sql, type SQL } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "@/db/queries/cursor";
import type { Actor } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import type { MetricFilters } from "./filters";
import { CATEGORY, findingScopeSql, metricContext, num, PAGE_SIZE, ts, type ItemPage, type MetricContext } from "./sql";

/**
 * Open drift findings (not resolved, not accepted as exceptions), now, by kind and severity,
 * and by age: whole days since first seen (0–7, 8–30, 31–90, over 90). Scoped like the findings
 * list. Application: the finding's application or its entitlement's. Owner: the finding's owner,
 * or the owner of its application or entitlement. Department and identity type: of the
 * identity the finding is about (findings about no identity, such as orphan accounts, then drop out).
 */
export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export const AGE_BUCKETS = ["0-7", "8-30", "31-90", "90+"] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

function findingsSql(ctx: MetricContext): SQL {
  const f = ctx.filters;
  const parts: SQL[] = [sql`true`];
  if (f.applicationId) parts.push(sql`coalesce(f.application_id, fe.application_id) = ${f.applicationId}`);
  if (f.ownerId)
    parts.push(sql`(f.owner_id = ${f.ownerId} or fe.owner_id = ${f.ownerId}
      or coalesce(f.application_id, fe.application_id) in (select application_id from application_owners where identity_id = ${f.ownerId}))`);
  if (f.department) parts.push(sql`i.department = ${f.department}`);
  if (f.identityType) parts.push(sql`${CATEGORY} = ${f.identityType}`);
  return sql`fd as (
      select f.id, f.kind::text as kind, f.severity::text as severity, f.first_seen_at, f.reason, i.display_name as identity_name,
        case when f.first_seen_at > ${ts(ctx.now)} - interval '8 days' then '0-7'
             when f.first_seen_at > ${ts(ctx.now)} - interval '31 days' then '8-30'
             when f.first_seen_at > ${ts(ctx.now)} - interval '91 days' then '31-90' else '90+' end as age
      from findings f
      left join identities i on i.id = f.identity_id
      left join entitlements fe on fe.id = f.entitlement_id
      where f.status = 'open' and ${sql.join(parts, sql` and `)} and ${findingScopeSql(ctx.scope)}
    )`;
}

export async function findingMetrics(deps: Deps, actor: Actor, filters: MetricFilters) {
  const ctx = await metricContext(deps, actor, filters);
  const [byKind, byAge] = await Promise.all([
    ctx.db.execute<{ kind: string; severity: string; findings: number }>(sql`with ${findingsSql(ctx)} select kind, severity, count(*)::int as findings from fd group by 1, 2`),
    ctx.db.execute<{ age: AgeBucket; severity: string; findings: number }>(sql`with ${findingsSql(ctx)} select age, severity, count(*)::int as findings from fd group by 1, 2`),
  ]);
  const kinds = [...new Set(byKind.map((r) => r.kind))].sort();
  const cell = (rows: { severity: string; findings: number }[]) =>
    Object.fromEntries(SEVERITIES.map((s) => [s, num(rows.find((r) => r.severity === s)?.findings)])) as Record<(typeof SEVERITIES)[number], number>;
  const kindRows = kinds.map((kind) => ({ kind, ...cell(byKind.filter((r) => r.kind === kind)) }));
  kindRows.sort((a, b) => SEVERITIES.reduce((acc, s) => acc + b[s], 0) - SEVERITIES.reduce((acc, s) => acc + a[s], 0) || a.kind.localeCompare(b.kind));
  return {
    asOf: ctx.now,
    open: byKind.reduce((acc, r) => acc + num(r.findings), 0),
    byKind: kindRows,
    byAge: AGE_BUCKETS.map((age) => ({ age, ...cell(byAge.filter((r) => r.age === age)) })),
  };
}

export interface FindingRow {
  findingId: string;
  kind: string;
  severity: string;
  reason: string;
  identityName: string | null;
  firstSeenAt: Date;
}

export async function listOpenFindings(
  deps: Deps,
  actor: Actor,
  filters: MetricFilters,
  selection: { kind?: string; severity?: string; age?: AgeBucket },
  cursor?: string | null,
): Promise<ItemPage<FindingRow>> {
  const ctx = await metricContext(deps, actor, filters);
  const after = decodeCursor(cursor)?.[0];
  const conds: SQL[] = [sql`true`];
  if (selection.kind) conds.push(sql`kind = ${selection.kind}`);
  if (selection.severity) conds.push(sql`severity = ${selection.severity}`);
  if (selection.age) conds.push(sql`age = ${selection.age}`);
  const rows = await ctx.db.execute<{ id: string; kind: string; severity: string; reason: string; identity_name: string | null; first_seen_at: string; total: number }>(sql`
    with ${findingsSql(ctx)}, picked as (select *, count(*) over () as total from fd where ${sql.join(conds, sql` and `)})
    select id, kind, severity, reason, identity_name, first_seen_at, total::int as total from picked
    where ${after ? sql`id > ${String(after)}::uuid` : sql`true`}
    order by id limit ${PAGE_SIZE + 1}`);
  const page = rows.slice(0, PAGE_SIZE);
  return {
    total: num(rows[0]?.total),
    rows: page.map((r) => ({ findingId: r.id, kind: r.kind, severity: r.severity, reason: r.reason, identityName: r.identity_name, firstSeenAt: new Date(r.first_seen_at) })),
    nextCursor: rows.length > PAGE_SIZE ? encodeCursor([page[page.length - 1]!.id]) : null,
  };
}
