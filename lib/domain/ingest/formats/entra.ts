import { z } from "zod";
import type { ParseOutcome } from "../event";
import { contentId, event, isObject, text, timestamp, unique, withSchema } from "./common";

/**
 * Microsoft Entra ID logs as Azure Monitor diagnostic settings export them (Event Hub, storage
 * account): one record per line with `category` SignInLogs, NonInteractiveUserSignInLogs,
 * ServicePrincipalSignInLogs, ManagedIdentitySignInLogs or AuditLogs, and the log entry under
 * `properties`. Sign-ins are the evidence this format is for; audit records are kept too
 * (member added to a group or role as a group change, the rest as "other").
 *
 * Exports differ in the case of top-level names (operationName, operationname), so those are
 * read case-insensitively.
 */
const schema = z
  .object({
    time: timestamp,
    category: z.string({ error: "required (SignInLogs, AuditLogs, …)" }).min(1, "must not be empty"),
    operationName: z.string().optional(),
    resultType: z.union([z.string(), z.number()]).optional(),
    correlationId: z.string().optional(),
    properties: z.record(z.string(), z.unknown(), { error: "required (the log entry)" }),
  })
  .loose();

const CANONICAL = ["time", "category", "operationName", "resultType", "resultSignature", "correlationId", "callerIpAddress", "properties", "identity", "tenantId"];
const byLower = new Map(CANONICAL.map((name) => [name.toLowerCase(), name]));

function canonicalKeys(value: unknown): unknown {
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[byLower.get(key.toLowerCase()) ?? key] = v;
  // Some exports leave out the envelope's time; the entry's own time says the same.
  out.time ??= field(out.properties, "createdDateTime") ?? field(out.properties, "activityDateTime");
  return out;
}

const SIGN_IN = /SignInLogs$/i;
const MEMBERSHIP = /(add|remove) (member|owner)s? (to|from) (group|role)|add eligible member to role|add member to role/i;

const field = (object: unknown, ...path: string[]): unknown => path.reduce<unknown>((at, key) => (isObject(at) ? at[key] : undefined), object);

export function parseEntra(value: unknown): ParseOutcome {
  const record = canonicalKeys(value);
  return withSchema(schema, record, (e) => {
    const p = e.properties;
    if (SIGN_IN.test(e.category)) {
      const servicePrincipal = /ServicePrincipal|ManagedIdentity/i.test(e.category);
      const errorCode = field(p, "status", "errorCode") ?? e.resultType;
      return event({
        eventId: text(p.id) ?? contentId(record),
        occurredAt: e.time,
        kind: "sign_in",
        action: e.category,
        failed: errorCode !== undefined && errorCode !== null && String(errorCode) !== "0" && String(errorCode) !== "",
        use: true,
        account: servicePrincipal
          ? { name: text(p.servicePrincipalName) ?? text(p.servicePrincipalId), externalId: text(p.servicePrincipalId) ?? text(p.appId) }
          : { name: text(p.userPrincipalName), externalId: text(p.userId) },
        entitlementHints: [],
        target: text(p.appDisplayName) ?? text(p.resourceDisplayName) ?? null,
        raw: value,
      });
    }
    const action = text(p.activityDisplayName) ?? text(e.operationName) ?? e.category;
    const targets = Array.isArray(p.targetResources) ? p.targetResources.filter(isObject) : [];
    const names = unique(targets.map((t) => text(t.displayName) ?? text(t.userPrincipalName)));
    return event({
      eventId: text(p.id) ?? contentId(record),
      occurredAt: e.time,
      kind: MEMBERSHIP.test(action) ? "group_change" : "other",
      action,
      failed: String(p.result ?? "").toLowerCase() === "failure",
      use: true,
      account: {
        name: text(field(p, "initiatedBy", "user", "userPrincipalName")) ?? text(field(p, "initiatedBy", "app", "servicePrincipalName")) ?? text(field(p, "initiatedBy", "app", "displayName")),
        externalId: text(field(p, "initiatedBy", "user", "id")) ?? text(field(p, "initiatedBy", "app", "servicePrincipalId")),
      },
      entitlementHints: [],
      target: names.length ? names.join(", ") : null,
      raw: value,
    });
  });
}
