import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { grants } from "@/db/schema";
import { Conflict, Invalid, NotFound } from "@/lib/errors";
import { recordAudit, type AuditActor } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { requestRevocation } from "./request-revocation";

export interface ReduceRequest {
  grantId: string;
  /** eligible: just-in-time, live only inside activations; time_bound: live until expiresAt. */
  to: "eligible" | "time_bound";
  /** Required for time_bound; optional end of eligibility for eligible. */
  expiresAt?: Date | null;
  /** The review item (or finding) that decided it; with "reduce", the revocation's idempotency key. */
  causeRef: string;
  actor: AuditActor;
  reason?: string | null;
}

/**
 * Reduces a standing grant (DESIGN.md "reduce"): a new eligible or time-bound grant, plus a
 * revocation of the standing one through the pipeline, both audited, in the caller's transaction.
 *
 * To eligible, the revocation really removes the access in the target (JIT access is live only
 * inside activations). To time-bound, the target keeps the access for the new grant until it
 * expires, so the revocation ends the standing grant without a removal downstream: the worker
 * verifies it as "superseded", and the expiry revokes the time-bound grant later.
 */
export async function reduceGrant(deps: Deps, tx: Executor, input: ReduceRequest): Promise<{ revocationId: string; grantId: string }> {
  const at = deps.now();
  const [grant] = await tx.select().from(grants).where(eq(grants.id, input.grantId)).for("update");
  if (!grant) throw new NotFound("That grant");
  if (grant.kind !== "standing") throw new Invalid("Only standing grants can be reduced.", { grantId: ["is not a standing grant"] });
  if (grant.status !== "active") throw new Conflict("This grant is no longer active (it is being revoked or has ended).");
  if (input.to === "time_bound" && !input.expiresAt) throw new Invalid("A time-bound grant needs an end date.", { expiresAt: ["is required to reduce to time-bound"] });
  if (input.expiresAt && input.expiresAt.getTime() <= at.getTime()) throw new Invalid("The end date must be in the future.", { expiresAt: ["must be in the future"] });

  // One live grant per identity, entitlement and kind: an existing one of the target kind is kept as is.
  const [existing] = await tx
    .select({ id: grants.id })
    .from(grants)
    .where(and(eq(grants.identityId, grant.identityId), eq(grants.entitlementId, grant.entitlementId), eq(grants.kind, input.to), inArray(grants.status, ["active", "pending_revocation"])));
  let successorId = existing?.id;
  if (!successorId) {
    const [row] = await tx
      .insert(grants)
      .values({
        identityId: grant.identityId,
        entitlementId: grant.entitlementId,
        accountId: grant.accountId,
        kind: input.to,
        status: "active",
        source: "direct",
        requestedById: grant.requestedById,
        approvedById: input.actor.kind === "human" ? input.actor.id : null,
        approvedAt: at,
        justification: `Reduced from standing grant ${grant.id} (${input.causeRef})${input.reason ? `: ${input.reason}` : ""}`,
        ticket: grant.ticket,
        grantedAt: at,
        expiresAt: input.expiresAt ?? null,
        // Time-bound keeps the target's membership; JIT access is live only inside activations.
        liveState: input.to === "time_bound" ? grant.liveState : "unknown",
        liveCheckedAt: input.to === "time_bound" ? grant.liveCheckedAt : null,
        createdAt: at,
        updatedAt: at,
      })
      .returning({ id: grants.id });
    successorId = row!.id;
  }

  const { revocationId } = await requestRevocation(deps, tx, { grantId: grant.id, cause: "reduce", causeRef: input.causeRef, actor: input.actor, reason: input.reason ?? null });
  await recordAudit(tx, {
    actor: input.actor,
    action: "grant.reduced",
    entityType: "grant",
    entityId: successorId,
    before: { grantId: grant.id, kind: "standing" },
    after: { grantId: successorId, kind: input.to, expiresAt: input.expiresAt?.toISOString() ?? null, revocationId, reusedExisting: Boolean(existing) },
    reason: input.reason ?? null,
    at,
  });
  return { revocationId, grantId: successorId };
}
