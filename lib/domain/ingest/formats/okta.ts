import { z } from "zod";
import type { ParseOutcome, UsageKind } from "../event";
import { contentId, event, isObject, text, timestamp, withSchema } from "./common";

/**
 * Okta System Log events (GET /api/v1/logs returns them; one per line). Sign-ins
 * (user.session.start, user.authentication.*) and group and admin-role changes are evidence;
 * any other event type is kept as "other" so nothing the log says is lost.
 *
 * Who: the actor's login (alternateId), with the Okta user id as external id. An SSO event
 * with no actor (some exports drop it) is attributed to the AppUser or User it targets.
 */
const party = z.object({ id: z.string().optional(), type: z.string().optional(), alternateId: z.string().optional(), displayName: z.string().optional() }).loose();

const schema = z
  .object({
    published: timestamp,
    eventType: z.string({ error: "required" }).min(1, "must not be empty"),
    uuid: z.string().optional(),
    actor: party.nullish(),
    outcome: z.object({ result: z.string().optional() }).loose().nullish(),
    target: z.array(party).nullish(),
    // Some exports write debugData as a string ("redacted"); only an object carries details.
    debugContext: z.object({ debugData: z.unknown().optional() }).loose().nullish(),
  })
  .loose();

const GROUP_CHANGE = /^(group\.user_membership\.(add|remove)|user\.account\.privilege\.(grant|revoke)|application\.user_membership\.(add|remove)|group\.privilege\.(grant|revoke))$/;

function kindOf(type: string): UsageKind {
  if (type === "user.session.start" || type.startsWith("user.authentication.")) return "sign_in";
  if (GROUP_CHANGE.test(type)) return "group_change";
  return "other";
}

export function parseOkta(value: unknown): ParseOutcome {
  return withSchema(schema, value, (e) => {
    const kind = kindOf(e.eventType);
    const targets = e.target ?? [];
    const ofType = (...types: string[]) => targets.find((t) => t.type && types.includes(t.type));
    const subject = ofType("AppUser", "User");
    const actor = e.actor && (text(e.actor.alternateId) || text(e.actor.id)) ? e.actor : kind === "sign_in" ? subject : null;
    const app = ofType("AppInstance");
    const group = ofType("UserGroup");
    const debug = isObject(e.debugContext?.debugData) ? e.debugContext.debugData : {};
    const privilege = text(debug.privilegeGranted) ?? text(debug.privilegeRevoked);
    const changed = text(group?.displayName) ?? privilege ?? text(app?.displayName);
    const target =
      kind === "group_change" && changed
        ? `${changed} ← ${text(subject?.alternateId) ?? text(subject?.displayName) ?? "?"}`
        : (text(app?.displayName) ?? text(app?.alternateId) ?? text(subject?.alternateId) ?? null);
    const result = text(e.outcome?.result)?.toUpperCase();
    return event({
      eventId: text(e.uuid) ?? contentId(value),
      occurredAt: e.published,
      kind,
      action: e.eventType,
      failed: result === "FAILURE" || result === "DENY",
      use: !e.eventType.startsWith("user.account.update_password") && !e.eventType.startsWith("user.mfa."),
      account: { name: text(actor?.alternateId), externalId: text(actor?.id) },
      entitlementHints: [],
      target,
      raw: value,
    });
  });
}
