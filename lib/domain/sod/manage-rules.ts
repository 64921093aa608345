import type { Executor } from "@/db/client";
import { deleteSodRule as deleteRuleRow, getSodRuleForUpdate, insertSodRule, listEntitlementsById, updateSodRule as updateRuleRow, type SodRuleMember } from "@/db/queries/sod-rules";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canManageSodRules } from "@/lib/domain/access/rules";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import { requestFindingsRecompute } from "@/lib/jobs/findings-worker";
import type { Deps } from "@/lib/domain/deps";
import { uniqueViolation } from "@/lib/domain/unique-violation";
import { parseOrInvalid, sodRuleIdInput, sodRuleInput, updateSodRuleInput, type SodRuleFields } from "./rule-input";

/*
 * Admins create, change and delete separation-of-duties rules. Each change queues a findings
 * recompute with it (run as soon as a worker takes it, after any recompute under way): a new rule
 * opens findings for the people who break it, a deleted or narrowed one resolves those it no
 * longer finds. The rules page counts who breaks each rule live, so the effect shows at once.
 */

function assertAdmin(actor: Actor) {
  const verdict = canManageSodRules(actor);
  if (!verdict.allowed) throw new Forbidden(verdict.reason);
}

/** The chosen entitlements, every one of which must still exist. */
async function loadMembers(tx: Executor, entitlementIds: string[]): Promise<SodRuleMember[]> {
  const members = await listEntitlementsById(tx, { entitlementIds });
  if (members.length !== entitlementIds.length) {
    const found = new Set(members.map((m) => m.id));
    const missing = entitlementIds.filter((id) => !found.has(id));
    throw new Invalid("Some of the chosen entitlements no longer exist.", { entitlementIds: [`Not found: ${missing.join(", ")}. Search for them again.`] });
  }
  return members;
}

/** How the audit trail records a rule: its words and its entitlements by name, beside their ids. */
function snapshot(rule: { name: string; description: string | null; severity: string }, members: SodRuleMember[]) {
  return {
    name: rule.name,
    description: rule.description,
    severity: rule.severity,
    entitlements: members.map((m) => `${m.name} (${m.applicationName})`),
    entitlementIds: members.map((m) => m.id),
  };
}

async function nameMustBeFree<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (uniqueViolation(error) === "sod_rules_name") throw new Invalid("A rule with that name already exists.", { name: ["A rule with that name already exists; choose another name."] });
    throw error;
  }
}

export async function createSodRule(deps: Deps, actor: Actor, raw: SodRuleFields) {
  assertAdmin(actor);
  const input = parseOrInvalid(sodRuleInput, raw);
  const at = deps.now();
  return nameMustBeFree(() =>
    deps.db.transaction(async (tx) => {
      const members = await loadMembers(tx, input.entitlementIds);
      const { id } = await insertSodRule(tx, { ...input, createdById: actor.id, at });
      await recordAudit(tx, { actor: auditActor(actor), action: "sod_rule.created", entityType: "sod_rule", entityId: id, after: snapshot(input, members), at });
      await requestFindingsRecompute(deps, tx, "sod_rule");
      return { ruleId: id };
    }),
  );
}

export async function updateSodRule(deps: Deps, actor: Actor, raw: SodRuleFields & { ruleId: string }) {
  assertAdmin(actor);
  const { ruleId, ...input } = parseOrInvalid(updateSodRuleInput, raw);
  const at = deps.now();
  return nameMustBeFree(() =>
    deps.db.transaction(async (tx) => {
      const current = await getSodRuleForUpdate(tx, { ruleId });
      if (!current) throw new NotFound("That rule");
      const before = await listEntitlementsById(tx, { entitlementIds: current.entitlementIds });
      const members = await loadMembers(tx, input.entitlementIds);
      const unchanged =
        current.name === input.name && current.description === input.description && current.severity === input.severity && current.entitlementIds.join() === input.entitlementIds.join();
      if (unchanged) return { ruleId, changed: false };
      await updateRuleRow(tx, { ruleId, ...input, at });
      await recordAudit(tx, { actor: auditActor(actor), action: "sod_rule.updated", entityType: "sod_rule", entityId: ruleId, before: snapshot(current, before), after: snapshot(input, members), at });
      await requestFindingsRecompute(deps, tx, "sod_rule");
      return { ruleId, changed: true };
    }),
  );
}

export async function deleteSodRule(deps: Deps, actor: Actor, raw: { ruleId: string }) {
  assertAdmin(actor);
  const { ruleId } = parseOrInvalid(sodRuleIdInput, raw);
  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    const current = await getSodRuleForUpdate(tx, { ruleId });
    if (!current) throw new NotFound("That rule");
    const members = await listEntitlementsById(tx, { entitlementIds: current.entitlementIds });
    await deleteRuleRow(tx, { ruleId });
    await recordAudit(tx, { actor: auditActor(actor), action: "sod_rule.deleted", entityType: "sod_rule", entityId: ruleId, before: snapshot(current, members), at });
    await requestFindingsRecompute(deps, tx, "sod_rule");
    return { ruleId, deleted: true };
  });
}
