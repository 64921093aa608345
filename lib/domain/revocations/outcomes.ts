import type { Executor } from "@/db/client";
import {
  endGrantAfterRevocation,
  endOpenActivations,
  insertRevocationAttempts,
  listRevocationRecipients,
  countAttempt,
  OPEN_REVOCATION,
  transitionRevocation,
  type RevocationWork,
} from "@/db/queries/revocations";
import { SYSTEM_ACTOR } from "@/lib/domain/access/actor";
import { recordAudit, type AuditActor } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { notify } from "@/lib/domain/notifications/notify";
import { publishEvent } from "@/lib/domain/webhooks/publish";
import type { Exchange } from "./connectors/types";

export type VerificationMethod = "read_back" | "callback" | "attestation" | "superseded";

/** Keeps receipts of one worker run (attempt), and counts the run on the revocation. */
export async function saveExchanges(db: Executor, revocationId: string, attempt: number, exchanges: readonly Exchange[]) {
  if (exchanges.length === 0) return;
  await insertRevocationAttempts(
    db,
    exchanges.map((e) => ({ revocationId, attempt, phase: e.phase, request: e.request, response: e.response, outcome: e.outcome, error: e.error, startedAt: e.startedAt, finishedAt: e.finishedAt })),
  );
  await countAttempt(db, { revocationId, attempt });
}

function eventData(work: RevocationWork) {
  return {
    revocationId: work.revocation.id,
    grantId: work.grant.id,
    identityId: work.identity.id,
    entitlementId: work.entitlement.id,
    applicationId: work.application.id,
    cause: work.revocation.cause,
    causeRef: work.revocation.causeRef,
  };
}

/** dispatched -> applied: the target accepted the removal. False when something else moved it first. */
export async function markApplied(deps: Deps, work: RevocationWork, input: { attempt: number; exchanges: readonly Exchange[]; note?: string }): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const at = deps.now();
    const row = await transitionRevocation(tx, { revocationId: work.revocation.id, from: ["dispatched"], set: { status: "applied", appliedAt: at, lastError: null } });
    await saveExchanges(tx, work.revocation.id, input.attempt, input.exchanges);
    if (!row) return false;
    await recordAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: "revocation.applied",
      entityType: "grant",
      entityId: work.grant.id,
      after: { revocationId: work.revocation.id, status: "applied", connector: row.connectorKind, ...(input.note ? { note: input.note } : {}) },
      at,
    });
    return true;
  });
}

/**
 * Any open state -> verified, exactly once: the conditional update lets one caller win (a worker
 * and a callback racing, a resumed job), and only the winner ends the grant, audits and publishes.
 */
export async function markVerified(
  deps: Deps,
  tx: Executor,
  work: RevocationWork,
  input: { method: VerificationMethod; attempt: number; exchanges: readonly Exchange[]; actor?: AuditActor; note?: string | null },
): Promise<boolean> {
  const at = deps.now();
  await saveExchanges(tx, work.revocation.id, input.attempt, input.exchanges);
  const row = await transitionRevocation(tx, {
    revocationId: work.revocation.id,
    from: OPEN_REVOCATION,
    set: { status: "verified", verifiedAt: at, verification: input.method, lastError: null, dispatchedAt: work.revocation.dispatchedAt ?? at, appliedAt: work.revocation.appliedAt ?? at },
  });
  if (!row) return false;
  // A grant that ran out is "expired", one taken away "revoked": screens and exports tell the two apart.
  const endedAs = work.revocation.cause === "expiry" ? "expired" : "revoked";
  // Superseded: the entitlement stays live in the target for the successor grant, so the old grant's live state is not "absent".
  const ended = await endGrantAfterRevocation(tx, { grantId: work.grant.id, at, status: endedAs, liveState: input.method === "superseded" ? null : "absent" });
  const endedActivations = work.grant.kind === "eligible" ? await endOpenActivations(tx, { grantId: work.grant.id, at }) : [];
  await recordAudit(tx, {
    actor: input.actor ?? SYSTEM_ACTOR,
    action: "revocation.verified",
    entityType: "grant",
    entityId: work.grant.id,
    before: { status: work.grant.status },
    after: {
      revocationId: work.revocation.id,
      status: ended ? endedAs : work.grant.status,
      verification: input.method,
      ...(endedActivations.length ? { endedActivations: endedActivations.map((a) => a.id) } : {}),
    },
    reason: input.note ?? null,
    at,
  });
  await publishEvent(deps, tx, { type: "revocation.verified", data: { ...eventData(work), verification: input.method, verifiedAt: at.toISOString() }, at });
  return true;
}

/**
 * Any open state -> failed: kept visible with its error, the grant stays pending_revocation (never
 * shown as gone), the app owners and admins are told, and revocation.failed is published.
 */
export async function markFailed(deps: Deps, tx: Executor, work: RevocationWork, input: { attempt: number; exchanges: readonly Exchange[]; error: string; actor?: AuditActor }): Promise<boolean> {
  const at = deps.now();
  await saveExchanges(tx, work.revocation.id, input.attempt, input.exchanges);
  await countAttempt(tx, { revocationId: work.revocation.id, attempt: input.attempt });
  const row = await transitionRevocation(tx, { revocationId: work.revocation.id, from: OPEN_REVOCATION, set: { status: "failed", failedAt: at, lastError: input.error } });
  if (!row) return false;
  await recordAudit(tx, {
    actor: input.actor ?? SYSTEM_ACTOR,
    action: "revocation.failed",
    entityType: "grant",
    entityId: work.grant.id,
    after: { revocationId: work.revocation.id, status: "failed", attempts: row.attempts, error: input.error },
    at,
  });
  const { ownerIds, adminIds } = await listRevocationRecipients(tx, { applicationId: work.application.id, admins: true });
  await notify(tx, {
    recipientIds: [...ownerIds, ...adminIds],
    kind: "revocation.failed",
    subject: `Revocation failed: ${work.entitlement.name} of ${work.identity.displayName} in ${work.application.name}`,
    body: `The access is still live in ${work.application.name}. Last error: ${input.error}. Fix the cause and retry it from the Revocations page.`,
    link: `/revocations?status=failed`,
    dedupeKey: `revocation.failed:${work.revocation.id}:${row.attempts}`,
    at,
  });
  await publishEvent(deps, tx, { type: "revocation.failed", data: { ...eventData(work), error: input.error, attempts: row.attempts, failedAt: at.toISOString() }, at });
  return true;
}
