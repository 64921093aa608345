import { z } from "zod";
import { findOpenActivation, getGrantForActivation, insertActivation } from "@/db/queries/activations";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canActivateGrant } from "@/lib/domain/access/rules";
import { checkActivation, BREAK_GLASS_REVIEW_HOURS, MINUTE_MS, TICKET_FORMAT_MESSAGE, TICKET_PATTERN, describeMinutes } from "@/lib/domain/approvals/policy";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import { openAdHocReview } from "@/lib/domain/campaigns/ad-hoc-review";
import type { Deps } from "@/lib/domain/deps";
import { conflictOnUnique } from "@/lib/domain/unique-violation";
import { publishEvent } from "@/lib/domain/webhooks/publish";
import { notifyBreakGlass } from "./break-glass-notice";

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const activateInput = z.object({
  grantId: z.uuid(),
  durationMinutes: z.coerce
    .number({ error: "Choose how long you need it." })
    .int("Whole minutes only.")
    .min(5, "At least 5 minutes.")
    .max(24 * 60, "At most 24 hours."),
  justification: z.string({ error: "Say why you need it now." }).trim().min(10, "Say why you need it now (at least 10 characters).").max(2000),
  ticket: z.preprocess(blank, z.string().trim().max(64).regex(TICKET_PATTERN, TICKET_FORMAT_MESSAGE).optional()),
  breakGlass: z.preprocess(blank, z.stringbool().or(z.boolean()).default(false)),
  incidentId: z.preprocess(blank, z.string().trim().max(64).regex(TICKET_PATTERN, "Use the incident's reference, such as INC-4821.").optional()),
});

export type ActivateInput = z.output<typeof activateInput>;

export interface ActivationResult {
  activationId: string;
  endsAt: Date;
  reviewItemId: string | null;
}

/**
 * The holder of an eligible grant opens a just-in-time window: the privilege is live from now
 * until the window ends (the policy caps its length) or the holder ends it early.
 *
 * Break-glass: an entitlement marked break-glass is held as an eligible grant by the few people
 * allowed to break the glass (approved through the usual request chain and reviewed like any
 * access). Activating it needs no approval at the moment of use, only an incident reference;
 * it pages the owners, is announced to webhook subscribers, and opens a post-use review item
 * that someone other than the user must decide within 24 hours.
 */
export async function activateGrant(deps: Deps, actor: Actor, input: ActivateInput): Promise<ActivationResult> {
  return conflictOnUnique(() => activateInTransaction(deps, actor, input), { activations_one_open: "This grant already has an open window." });
}

async function activateInTransaction(deps: Deps, actor: Actor, input: ActivateInput): Promise<ActivationResult> {
  return deps.db.transaction(async (tx) => {
    const found = await getGrantForActivation(tx, { grantId: input.grantId });
    if (!found) throw new NotFound("That grant");
    const { grant, holder, entitlement } = found;
    const rule = canActivateGrant(actor, holder);
    if (!rule.allowed) throw new Forbidden(rule.reason);
    const at = deps.now();
    if (grant.kind !== "eligible") throw new Invalid("Only eligible (just-in-time) grants are activated; this access is already live.");
    if (grant.status !== "active" || (grant.expiresAt && grant.expiresAt <= at)) throw new Invalid("This grant has ended and can no longer be activated.");
    if (holder.holderStatus !== "active") throw new Invalid("The holder of this grant is not active.");
    const fieldErrors = checkActivation(entitlement, { minutes: input.durationMinutes, breakGlass: input.breakGlass, incidentId: input.incidentId ?? null, ticket: input.ticket ?? null });
    if (Object.keys(fieldErrors).length > 0) throw new Invalid("The window does not fit this entitlement's policy.", fieldErrors);
    const open = await findOpenActivation(tx, { grantId: grant.id });
    if (open) throw new Conflict("This grant already has an open window; end it before opening another.");

    // A window never outlives the eligibility it comes from.
    const planned = new Date(at.getTime() + input.durationMinutes * MINUTE_MS);
    const endsAt = grant.expiresAt && grant.expiresAt < planned ? grant.expiresAt : planned;
    const { id: activationId } = await insertActivation(tx, {
      grantId: grant.id,
      identityId: holder.holderId,
      status: "active",
      startsAt: at,
      endsAt,
      justification: input.justification,
      ticket: input.ticket ?? null,
      breakGlass: input.breakGlass,
      incidentId: input.breakGlass ? (input.incidentId ?? null) : null,
      createdAt: at,
    });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: input.breakGlass ? "activation.break_glass" : "activation.started",
      entityType: "grant",
      entityId: grant.id,
      after: { activationId, startsAt: at.toISOString(), endsAt: endsAt.toISOString(), ticket: input.ticket ?? null, incidentId: input.incidentId ?? null },
      reason: input.justification,
      at,
    });
    if (!input.breakGlass) return { activationId, endsAt, reviewItemId: null };

    const subject = `Break-glass: ${holder.holderName} activated ${entitlement.name} (${entitlement.applicationName}) for ${input.incidentId}`;
    await notifyBreakGlass(tx, { found, actorId: actor.id, grantId: grant.id, activationId, subject, body: `${describeMinutes(input.durationMinutes)} from now. Reason: ${input.justification}`, at });
    await publishEvent(deps, tx, {
      type: "break_glass.activated",
      data: {
        activationId,
        grantId: grant.id,
        identity: { id: holder.holderId, displayName: holder.holderName },
        entitlement: { id: entitlement.id, name: entitlement.name, application: entitlement.applicationName },
        incidentId: input.incidentId,
        startsAt: at.toISOString(),
        endsAt: endsAt.toISOString(),
      },
      at,
    });
    const { reviewItemId } = await openAdHocReview(deps, tx, {
      grantId: grant.id,
      reason: `Break-glass use of ${entitlement.name} by ${holder.holderName} for ${input.incidentId}: ${input.justification}`,
      source: "break_glass",
      sourceRef: activationId,
      excludeIds: [...new Set([holder.holderId, actor.id])],
      dueAt: new Date(at.getTime() + BREAK_GLASS_REVIEW_HOURS * 3_600_000),
    });
    return { activationId, endsAt, reviewItemId };
  });
}
