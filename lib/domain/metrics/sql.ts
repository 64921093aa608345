import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { findingVisible, grantVisible, identityVisible, uuidList, type Scope } from "@/db/queries/scope";
import type { Actor } from "@/lib/domain/access/actor";
import { scopeOf } from "@/lib/domain/access/scope";
import type { Deps } from "@/lib/domain/deps";
import { resolvePeriod, type MetricFilters, type Period } from "./filters";

/**
 * The shared vocabulary of the metric SQL. Queries alias their tables the same way everywhere:
 * g = grants, e = entitlements, i = identities (the holder), so the fragments below compose.
 */

export interface MetricContext {
  db: Executor;
  scope: Scope;
  filters: MetricFilters;
  period: Period;
  now: Date;
  /** Grants of these entitlements are left out: the rollup answers for them (rollupView). */
  exceptEntitlementIds?: string[];
}

// One scope resolution per actor per request, however many charts ask (the actor object is per request).
const scopes = new WeakMap<Actor, Promise<Scope>>();

export async function metricContext(deps: Deps, actor: Actor, filters: MetricFilters): Promise<MetricContext> {
  const now = deps.now();
  let scope = scopes.get(actor);
  if (!scope) {
    scope = scopeOf(deps.db, actor);
    scopes.set(actor, scope);
    scope.catch(() => scopes.delete(actor));
  }
  return { db: deps.db, scope: await scope, filters, period: resolvePeriod(filters, now), now };
}

const col = (text: string) => sql.raw(text) as unknown as AnyColumn;

/** human / non_human / third_party, from the holder's type. */
export const CATEGORY = sql.raw(`(case when i.type = 'third_party' then 'third_party' when i.kind = 'human' then 'human' else 'non_human' end)`);

/**
 * When a grant stopped being usable (null: it still is). Standing: when it ended. Time-bound: at
 * expiry at the latest. A revoked or expired grant with no recorded end is taken to have ended
 * when its row last changed.
 */
export const GRANT_END = sql.raw(`least(g.ended_at,
  case when g.kind = 'time_bound' then g.expires_at end,
  case when g.status in ('revoked', 'expired') then coalesce(g.ended_at, g.updated_at) end)`);

/** A UTC day (date) as the timestamptz of its midnight. */
export const dayStart = (day: SQL) => sql`((${day})::timestamp at time zone 'UTC')`;
/** The UTC day a timestamptz falls in. */
export const utcDay = (ts: SQL) => sql`((${ts}) at time zone 'UTC')::date`;

/** "Owner": the person who owns the application or the entitlement the access is to. */
export function ownsAccessSql(ownerId: string, e = "e"): SQL {
  return sql`(${sql.raw(e)}.owner_id = ${ownerId} or ${sql.raw(e)}.application_id in (select application_id from application_owners where identity_id = ${ownerId}))`;
}

/** The filters every access metric applies, over e (entitlements) and i (holder). */
export function accessFilterSql(filters: MetricFilters): SQL {
  const parts: SQL[] = [sql`true`];
  if (filters.applicationId) parts.push(sql`e.application_id = ${filters.applicationId}`);
  if (filters.ownerId) parts.push(ownsAccessSql(filters.ownerId));
  if (filters.department) parts.push(sql`i.department = ${filters.department}`);
  if (filters.identityType) parts.push(sql`${CATEGORY} = ${filters.identityType}`);
  return sql.join(parts, sql` and `);
}

const orTrue = (s: SQL | undefined) => s ?? sql`true`;

/** Access (grants, review items, revocations) the actor may see: the grant visibility of the inventory. */
export function grantScopeSql(scope: Scope, identityId = "g.identity_id", entitlementId = "g.entitlement_id"): SQL {
  return orTrue(grantVisible(scope, { identityId: col(identityId), entitlementId: col(entitlementId) }));
}

/** The grants g a live figure of the context counts: those the viewer may see, less those the rollup answers for. */
export function countedGrantsSql(ctx: MetricContext): SQL {
  const visible = grantScopeSql(ctx.scope);
  return ctx.exceptEntitlementIds?.length ? sql`${visible} and g.entitlement_id <> all(${uuidList(ctx.exceptEntitlementIds)})` : visible;
}

export function identityScopeSql(scope: Scope, identityId = "i.id"): SQL {
  return orTrue(identityVisible(scope, col(identityId)));
}

export function findingScopeSql(scope: Scope, alias = "f"): SQL {
  return orTrue(
    findingVisible(scope, { identityId: col(`${alias}.identity_id`), ownerId: col(`${alias}.owner_id`), applicationId: col(`${alias}.application_id`), entitlementId: col(`${alias}.entitlement_id`) }),
  );
}

/**
 * Runs a metric statement with PostgreSQL's JIT compiler off. The planner's estimates for these
 * statements (a probe per non-human identity, windows per grant) pass JIT's thresholds though
 * they run in well under a second, and compiling them took longer than running them: 200 ms of
 * a 500 ms count of non-human identities at 100,000 identities.
 */
export function executeMetric<T extends Record<string, unknown>>(db: Executor, query: SQL) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return tx.execute<T>(query);
  });
}

export const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
export const day = (d: string) => sql`${d}::date`;

export const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
export const round1 = (v: number) => Math.round(v * 10) / 10;

/** A page of a drill-down list: the total (same predicate as the chart), this page's rows, the next cursor. */
export interface ItemPage<Row> {
  total: number;
  rows: Row[];
  nextCursor: string | null;
}

export const PAGE_SIZE = 50;
