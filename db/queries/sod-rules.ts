import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { applications, entitlements, sodRuleEntitlements, sodRules } from "@/db/schema";
import { uuidList } from "./scope";

type Severity = (typeof sodRules.$inferSelect)["severity"];

export interface SodRuleValues {
  name: string;
  description: string | null;
  severity: Severity;
}

export interface SodRuleMember {
  id: string;
  name: string;
  applicationName: string;
  privileged: boolean;
}

export interface SodRuleRow extends SodRuleValues {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  createdByName: string | null;
  members: SodRuleMember[];
  /** People holding live grants to more than one of the rule's entitlements right now. */
  violators: number;
}

/** The live grants that count towards a conflict, as the finding detector reads them. */
const LIVE = sql.raw(`g.status in ('active', 'pending_revocation')`);

/** Every rule with its entitlements and how many people break it now; rules are few (an admin writes each one). */
export async function listSodRules(db: Executor, args: { ruleId?: string } = {}): Promise<SodRuleRow[]> {
  const rows = await db.execute<{
    id: string;
    name: string;
    description: string | null;
    severity: Severity;
    created_at: string;
    updated_at: string;
    created_by_name: string | null;
    members: SodRuleMember[];
    violators: number;
  }>(sql`
    select r.id, r.name, r.description, r.severity, r.created_at, r.updated_at, creator.display_name as created_by_name,
           coalesce(members.list, '[]'::jsonb) as members, coalesce(v.n, 0) as violators
    from sod_rules r
    left join identities creator on creator.id = r.created_by_id
    left join lateral (
      select jsonb_agg(jsonb_build_object('id', e.id, 'name', e.name, 'applicationName', a.name, 'privileged', e.privileged) order by a.name, e.name) as list
      from sod_rule_entitlements m join entitlements e on e.id = m.entitlement_id join applications a on a.id = e.application_id
      where m.rule_id = r.id
    ) members on true
    left join lateral (
      select count(*)::int as n from (
        select g.identity_id from sod_rule_entitlements m join grants g on g.entitlement_id = m.entitlement_id and ${LIVE}
        where m.rule_id = r.id group by g.identity_id having count(distinct g.entitlement_id) > 1
      ) breakers
    ) v on true
    ${args.ruleId ? sql`where r.id = ${args.ruleId}` : sql``}
    order by lower(r.name), r.id`);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    severity: r.severity,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    createdByName: r.created_by_name,
    members: r.members,
    violators: r.violators,
  }));
}

/** A rule and its member ids, locked for the change about to be made to it. */
export async function getSodRuleForUpdate(db: Executor, args: { ruleId: string }) {
  const [rule] = await db.select().from(sodRules).where(eq(sodRules.id, args.ruleId)).for("update");
  if (!rule) return null;
  const members = await db.select({ id: sodRuleEntitlements.entitlementId }).from(sodRuleEntitlements).where(eq(sodRuleEntitlements.ruleId, rule.id));
  return { ...rule, entitlementIds: members.map((m) => m.id).sort() };
}

/** The named entitlements that exist, with what the audit trail and the page say about them. */
export async function listEntitlementsById(db: Executor, args: { entitlementIds: string[] }): Promise<SodRuleMember[]> {
  if (args.entitlementIds.length === 0) return [];
  return db
    .select({ id: entitlements.id, name: entitlements.name, applicationName: applications.name, privileged: entitlements.privileged })
    .from(entitlements)
    .innerJoin(applications, eq(applications.id, entitlements.applicationId))
    .where(inArray(entitlements.id, args.entitlementIds))
    .orderBy(applications.name, entitlements.name);
}

export async function insertSodRule(db: Executor, args: SodRuleValues & { entitlementIds: string[]; createdById: string; at: Date }) {
  const [row] = await db
    .insert(sodRules)
    .values({ name: args.name, description: args.description, severity: args.severity, createdById: args.createdById, createdAt: args.at, updatedAt: args.at })
    .returning({ id: sodRules.id });
  await db.insert(sodRuleEntitlements).values(args.entitlementIds.map((entitlementId) => ({ ruleId: row!.id, entitlementId })));
  return row!;
}

/** Rewrites the rule and makes its members exactly `entitlementIds`. */
export async function updateSodRule(db: Executor, args: SodRuleValues & { ruleId: string; entitlementIds: string[]; at: Date }) {
  await db.update(sodRules).set({ name: args.name, description: args.description, severity: args.severity, updatedAt: args.at }).where(eq(sodRules.id, args.ruleId));
  await db.delete(sodRuleEntitlements).where(and(eq(sodRuleEntitlements.ruleId, args.ruleId), sql`${sodRuleEntitlements.entitlementId} <> all(${uuidList(args.entitlementIds)})`));
  await db
    .insert(sodRuleEntitlements)
    .values(args.entitlementIds.map((entitlementId) => ({ ruleId: args.ruleId, entitlementId })))
    .onConflictDoNothing();
}

/** Its members go with it (cascade); its findings resolve at the next recompute, which no longer finds them. */
export async function deleteSodRule(db: Executor, args: { ruleId: string }) {
  await db.delete(sodRules).where(eq(sodRules.id, args.ruleId));
}
