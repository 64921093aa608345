import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { applications, entitlements, grants, revocations } from "@/db/schema";
import { NotFound } from "@/lib/errors";
import { recordAudit, type AuditActor } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { QUEUES } from "@/lib/jobs/queue";
import { endOpenActivations } from "@/db/queries/revocations";

export type RevocationCause = (typeof revocations.$inferSelect)["cause"];

export interface RevocationRequest {
  grantId: string;
  cause: RevocationCause;
  /** The review item, request, finding or job that caused it: with the cause, it makes the idempotency key. */
  causeRef: string;
  actor: AuditActor;
  activationId?: string | null;
  reason?: string | null;
}

const OPEN: (typeof revocations.$inferSelect)["status"][] = ["requested", "dispatched", "applied"];

/**
 * The one way anything in Accord revokes a grant (review decisions, reductions, request denial
 * after grant, expiry, findings, admins). Call it inside the transaction of the cause: the
 * revocation row and its dispatch job commit with the decision or not at all (outbox), so a
 * crash right after a decision never loses the revocation.
 *
 * Revoking an eligible grant ends its open activations at once. Workers then dispatch it through
 * the application's connector and verify it (lib/domain/revocations/advance.ts).
 *
 * A grant already on its way out keeps its open revocation: the same one is returned, so two
 * causes never send two removals downstream.
 */
export async function requestRevocation(deps: Deps, tx: Executor, input: RevocationRequest): Promise<{ revocationId: string; created: boolean }> {
  const [grant] = await tx
    .select({ id: grants.id, kind: grants.kind, status: grants.status, connectorKind: applications.connectorKind, slaHours: applications.revocationSlaHours })
    .from(grants)
    .innerJoin(entitlements, eq(entitlements.id, grants.entitlementId))
    .innerJoin(applications, eq(applications.id, entitlements.applicationId))
    .where(eq(grants.id, input.grantId))
    .for("update", { of: grants });
  if (!grant) throw new NotFound("That grant");

  const [open] = await tx
    .select({ id: revocations.id })
    .from(revocations)
    .where(and(eq(revocations.grantId, grant.id), inArray(revocations.status, OPEN)))
    .limit(1);
  if (open) return { revocationId: open.id, created: false };

  const at = deps.now();
  const idempotencyKey = `${input.cause}:${input.causeRef}:${grant.id}`;
  const [row] = await tx
    .insert(revocations)
    .values({
      grantId: grant.id,
      activationId: input.activationId ?? null,
      cause: input.cause,
      causeRef: input.causeRef,
      connectorKind: grant.connectorKind,
      idempotencyKey,
      requestedById: input.actor.kind === "human" ? input.actor.id : null,
      requestedAt: at,
      slaDueAt: new Date(at.getTime() + grant.slaHours * 3_600_000),
    })
    .onConflictDoNothing({ target: revocations.idempotencyKey })
    .returning({ id: revocations.id });
  if (!row) {
    // The same cause already revoked this grant once (and that revocation finished): nothing new to send.
    const [existing] = await tx.select({ id: revocations.id }).from(revocations).where(eq(revocations.idempotencyKey, idempotencyKey));
    return { revocationId: existing!.id, created: false };
  }

  await tx
    .update(grants)
    .set({ status: "pending_revocation", updatedAt: sql`${at.toISOString()}::timestamptz` })
    .where(eq(grants.id, grant.id));
  // Revoking eligibility ends any open JIT window now, not when the target confirms.
  const ended = grant.kind === "eligible" ? await endOpenActivations(tx, { grantId: grant.id, at }) : [];
  await recordAudit(tx, {
    actor: input.actor,
    action: "revocation.requested",
    entityType: "grant",
    entityId: grant.id,
    before: { status: grant.status },
    after: {
      status: "pending_revocation",
      revocationId: row.id,
      cause: input.cause,
      causeRef: input.causeRef,
      ...(ended.length ? { endedActivations: ended.map((a) => a.id) } : {}),
    },
    reason: input.reason ?? null,
    at,
  });
  await deps.jobs.sendInTransaction(tx, QUEUES.revocationDispatch, { revocationId: row.id }, { singletonKey: row.id });
  return { revocationId: row.id, created: true };
}
