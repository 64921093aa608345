import { z } from "zod";
import { listSodRules } from "@/db/queries/sod-rules";
import { searchEntitlements } from "@/db/queries/request-views";
import { Forbidden } from "@/lib/errors";
import type { Actor } from "@/lib/domain/access/actor";
import { canManageSodRules, canViewSodRules } from "@/lib/domain/access/rules";
import type { Deps } from "@/lib/domain/deps";

export const sodPageQuery = z.object({ edit: z.uuid().optional().catch(undefined) });

/** The rules page: every rule with its entitlements and who breaks it now, and the rule being edited, if any. */
export async function sodRulesPage(deps: Deps, actor: Actor, query: z.infer<typeof sodPageQuery>) {
  if (!canViewSodRules(actor)) throw new Forbidden("Only admins and auditors see separation-of-duties rules.");
  const rules = await listSodRules(deps.db);
  const canManage = canManageSodRules(actor).allowed;
  const editing = canManage && query.edit ? (rules.find((r) => r.id === query.edit) ?? null) : null;
  return { rules, canManage, editing, asOf: deps.now() };
}

export const findRuleEntitlementsInput = z.object({ q: z.string().trim().min(1, "Type part of an entitlement or application name.").max(100) });

export const ENTITLEMENT_MATCHES = 20;

/** Entitlements by name (or their application's), for the rule form's picker. */
export async function findRuleEntitlements(deps: Deps, actor: Actor, input: z.infer<typeof findRuleEntitlementsInput>) {
  const verdict = canManageSodRules(actor);
  if (!verdict.allowed) throw new Forbidden(verdict.reason);
  const page = await searchEntitlements(deps.db, { q: input.q, limit: ENTITLEMENT_MATCHES });
  return {
    matches: page.rows.map((e) => ({ id: e.id, name: e.name, applicationName: e.applicationName, privileged: e.privileged })),
    more: page.nextCursor !== null,
  };
}
