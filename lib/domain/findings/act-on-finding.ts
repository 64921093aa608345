import { z } from "zod";
import { acceptFindingRow, isFindingVisible, listRevocableGrants, lockFinding } from "@/db/queries/findings";
import type { Tx } from "@/db/client";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canAcceptFinding, canActOnFindingGrant } from "@/lib/domain/access/finding-rules";
import { scopeOf } from "@/lib/domain/access/scope";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import { openAdHocReview } from "@/lib/domain/campaigns/ad-hoc-review";
import type { Deps } from "@/lib/domain/deps";
import { reduceGrant } from "@/lib/domain/revocations/reduce-grant";
import { requestRevocation } from "@/lib/domain/revocations/request-revocation";

const DAY = 86_400_000;
/** An exception is a decision to look again, not a permanent waiver. */
export const MAX_EXCEPTION_DAYS = 365;
const REVIEW_DUE_DAYS = 14;

export const acceptFindingInput = z.object({
  findingId: z.uuid(),
  until: z.iso.date("Give the date the exception ends (YYYY-MM-DD)."),
  reason: z.string().trim().min(10, "Say why the risk is acceptable (at least 10 characters).").max(1000),
});

export const findingGrantInput = z.object({
  findingId: z.uuid(),
  grantId: z.uuid(),
  note: z
    .string()
    .trim()
    .max(500)
    .optional()
    .transform((v) => v || undefined),
});
type FindingGrantInput = { findingId: string; grantId: string; note?: string | undefined };

/** The finding, locked, if the actor may see it at all (a finding outside their scope is "not found"). */
async function loadForDecision(deps: Deps, tx: Tx, actor: Actor, findingId: string) {
  if (!(await isFindingVisible(tx, { scope: await scopeOf(tx, actor), findingId }))) throw new NotFound("That finding");
  const finding = await lockFinding(tx, { findingId });
  if (!finding) throw new NotFound("That finding");
  return finding;
}

/** Accept the risk until the end of a given day (UTC): the next recompute after that re-opens it if the condition is still there. */
export async function acceptFinding(deps: Deps, actor: Actor, input: z.infer<typeof acceptFindingInput>) {
  const now = deps.now();
  const until = new Date(`${input.until}T23:59:59.999Z`);
  if (new Date(`${input.until}T00:00:00Z`).getTime() <= now.getTime()) throw new Invalid("The exception must end after today.", { until: ["Choose a date after today."] });
  if (until.getTime() > now.getTime() + MAX_EXCEPTION_DAYS * DAY) {
    throw new Invalid(`An exception lasts at most ${MAX_EXCEPTION_DAYS} days.`, { until: [`Choose a date within ${MAX_EXCEPTION_DAYS} days.`] });
  }
  return deps.db.transaction(async (tx) => {
    const finding = await loadForDecision(deps, tx, actor, input.findingId);
    const rule = canAcceptFinding(actor, finding);
    if (!rule.allowed) throw new Forbidden(rule.reason);
    await acceptFindingRow(tx, { findingId: finding.id, until, byId: actor.id, reason: input.reason });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "finding.accepted",
      entityType: "finding",
      entityId: finding.id,
      before: { status: finding.status, acceptedUntil: finding.acceptedUntil?.toISOString() ?? null },
      after: { status: "accepted", acceptedUntil: until.toISOString(), kind: finding.kind },
      reason: input.reason,
      at: now,
    });
    return { findingId: finding.id, acceptedUntil: until };
  });
}

async function checkedGrant(tx: Tx, actor: Actor, finding: NonNullable<Awaited<ReturnType<typeof lockFinding>>>, grantId: string) {
  const grants = await listRevocableGrants(tx, { findingId: finding.id });
  const grant = grants.find((g) => g.id === grantId);
  if (!grant) throw new Invalid("That grant is not live access this finding is about.", { grantId: ["Choose one of the finding's grants."] });
  const rule = canActOnFindingGrant(actor, finding, {
    identityId: grant.identity_id,
    applicationOwnerIds: grant.application_owner_ids,
    entitlementOwnerId: grant.entitlement_owner_id,
  });
  if (!rule.allowed) throw new Forbidden(rule.reason);
  return grant;
}

/** Revoke one of the finding's grants through the revocation pipeline (cause "finding"). */
export async function revokeFromFinding(deps: Deps, actor: Actor, input: FindingGrantInput) {
  return deps.db.transaction(async (tx) => {
    const finding = await loadForDecision(deps, tx, actor, input.findingId);
    const grant = await checkedGrant(tx, actor, finding, input.grantId);
    const at = deps.now();
    const reason = input.note ?? finding.reason;
    const revocation = await requestRevocation(deps, tx, { grantId: grant.id, cause: "finding", causeRef: finding.id, actor: auditActor(actor), reason });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "finding.revoke_requested",
      entityType: "finding",
      entityId: finding.id,
      after: { grantId: grant.id, revocationId: revocation.revocationId, alreadyUnderway: !revocation.created },
      reason,
      at,
    });
    return { ...revocation, grant: `${grant.entitlement} from ${grant.identity_name}` };
  });
}

/**
 * Reduce a standing grant to just-in-time: the holder keeps eligibility and activates when
 * needed; the standing grant is revoked through the pipeline (reduceGrant), both audited.
 */
export async function reduceFromFinding(deps: Deps, actor: Actor, input: FindingGrantInput) {
  return deps.db.transaction(async (tx) => {
    const finding = await loadForDecision(deps, tx, actor, input.findingId);
    const grant = await checkedGrant(tx, actor, finding, input.grantId);
    if (grant.kind !== "standing" || grant.status !== "active") throw new Invalid("Only an active standing grant can be reduced to just-in-time.", { grantId: ["is not active standing access"] });
    const at = deps.now();
    const reason = input.note ?? finding.reason;
    const reduced = await reduceGrant(deps, tx, { grantId: grant.id, to: "eligible", causeRef: `finding:${finding.id}`, actor: auditActor(actor), reason });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "finding.reduce_requested",
      entityType: "finding",
      entityId: finding.id,
      after: { grantId: grant.id, eligibleGrantId: reduced.grantId, revocationId: reduced.revocationId },
      reason,
      at,
    });
    return reduced;
  });
}

/** Ask for a decision on one of the finding's grants: an ad-hoc review item, reviewed by someone other than the holder and the asker. */
export async function openReviewFromFinding(deps: Deps, actor: Actor, input: FindingGrantInput) {
  return deps.db.transaction(async (tx) => {
    const finding = await loadForDecision(deps, tx, actor, input.findingId);
    const grant = await checkedGrant(tx, actor, finding, input.grantId);
    const at = deps.now();
    const reason = input.note ? `${finding.reason} ${input.note}` : finding.reason;
    const { reviewItemId } = await openAdHocReview(deps, tx, {
      grantId: grant.id,
      reason,
      source: "finding",
      sourceRef: `${finding.id}:${grant.id}`,
      excludeIds: [actor.id],
      dueAt: new Date(at.getTime() + REVIEW_DUE_DAYS * DAY),
    });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "finding.review_opened",
      entityType: "finding",
      entityId: finding.id,
      after: { grantId: grant.id, reviewItemId },
      reason,
      at,
    });
    return { reviewItemId };
  });
}
