import { env } from "@/lib/env";
import { openSecret } from "@/lib/crypto/secret-box";
import { findLiveSuccessor, getRevocationWork, listRevocationRecipients, transitionRevocation, type RevocationWork } from "@/db/queries/revocations";
import { SYSTEM_ACTOR } from "@/lib/domain/access/actor";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { notify } from "@/lib/domain/notifications/notify";
import { callbackToken } from "./callback-token";
import { scimConnector } from "./connectors/scim";
import { ConnectorError, type Connector, type ConnectorContext, type Exchange } from "./connectors/types";
import { webhookConnector } from "./connectors/webhook";
import { markApplied, markFailed, markVerified, saveExchanges } from "./outcomes";

export type AdvanceOutcome = "verified" | "failed" | "awaiting_callback" | "awaiting_owner" | "already_done" | "not_found";

/** Test seams: a test kills the process at these points to prove a resumed job finishes exactly once. */
export interface AdvanceHooks {
  /** After the removal reached the target, before "applied" is recorded. */
  afterDispatch?: () => Promise<void>;
  /** After "applied" is recorded, before the read-back. */
  afterApplied?: () => Promise<void>;
}

/** Thrown to make the queue retry with backoff (the revocation stays open and says why). */
export class RetryLater extends Error {}

const CONNECTORS: Record<"scim" | "webhook", Connector> = { scim: scimConnector, webhook: webhookConnector };

export function callbackUrl(revocationId: string): string {
  return `${env().AUTH_URL.replace(/\/+$/, "")}/api/v1/revocations/${revocationId}/callback`;
}

/**
 * One run of the revocation worker. The state in the database decides what happens next, so a
 * job that runs again after a crash picks up where the last one stopped:
 *
 *   requested  -> mark dispatched, send the removal, mark applied, read back -> verified
 *   dispatched -> the removal may or may not have reached the target: read back first, and send
 *                 it again only if the access is still there (removals are idempotent anyway)
 *   applied    -> read back -> verified (a resend job first sends the removal again: a webhook
 *                 receiver that never called back, see sweep.ts)
 *
 * A retryable failure records the attempt and throws RetryLater (the queue backs off); the final
 * attempt, or a failure that repeating cannot fix, marks the revocation failed and alerts.
 * Manual connectors (and applications with none) become a task for the app owners instead.
 */
export async function advanceRevocation(deps: Deps, input: { revocationId: string; finalAttempt: boolean; resend?: boolean; hooks?: AdvanceHooks }): Promise<AdvanceOutcome> {
  let work = await getRevocationWork(deps.db, { revocationId: input.revocationId });
  if (!work) return "not_found";
  if (work.revocation.status === "verified" || work.revocation.status === "failed") return "already_done";

  const kind = work.application.connectorKind;
  const manual = kind === "manual" || kind === "none";
  if (manual && work.revocation.status !== "requested") return "awaiting_owner";
  const attempt = work.revocation.attempts + 1;
  const revocationId = work.revocation.id;

  // Another live standing or time-bound grant (a reduction to time-bound) still needs the entitlement in the target.
  if (work.revocation.status !== "applied") {
    const successor = await findLiveSuccessor(deps.db, { grantId: work.grant.id, identityId: work.grant.identityId, entitlementId: work.grant.entitlementId });
    if (successor) {
      const note = `Not removed in ${work.application.name}: grant ${successor.id} (${successor.kind}) still holds ${work.entitlement.name}.`;
      const done = await deps.db.transaction((tx) =>
        markVerified(deps, tx, work!, {
          method: "superseded",
          attempt,
          exchanges: [record("superseded", { successorGrantId: successor.id, expiresAt: successor.expiresAt?.toISOString() ?? null }, note, deps)],
          note,
        }),
      );
      return done ? "verified" : "already_done";
    }
  }
  if (manual) return openManualTask(deps, work, attempt);

  let secret: string | null = null;
  try {
    secret = work.application.connectorSecret ? openSecret(work.application.connectorSecret) : null;
  } catch {
    return fail(deps, work, attempt, "The connector secret cannot be decrypted (was the encryption key changed?); an admin must set it again");
  }
  const connector = CONNECTORS[kind];
  const ctx: ConnectorContext = {
    work,
    config: work.application.connectorConfig,
    secret,
    now: deps.now,
    callback: { url: callbackUrl(revocationId), token: secret ? callbackToken(secret, revocationId) : "" },
    record: (exchange) => saveExchanges(deps.db, revocationId, attempt, [exchange]),
  };

  try {
    if (work.revocation.status === "requested") {
      if (!(await markDispatched(deps, work, kind))) return "already_done";
      await connector.apply(ctx);
      await input.hooks?.afterDispatch?.();
      if (!(await markApplied(deps, work, { attempt, exchanges: [] }))) return settled(deps, revocationId);
    } else if (work.revocation.status === "dispatched") {
      // Resumed: did the last run's removal reach the target before it stopped?
      const state = await connector.readBack(ctx);
      if (state !== "absent") await connector.apply(ctx);
      const note = state === "absent" ? "Resumed: the target already showed the access removed" : "Resumed: the removal was sent again";
      if (!(await markApplied(deps, work, { attempt, exchanges: [], note }))) return settled(deps, revocationId);
    } else if (input.resend) {
      // The same event (same webhook-id and idempotency key), so a receiver that did act de-duplicates it.
      await connector.apply(ctx);
    }
    await input.hooks?.afterApplied?.();
    work = (await getRevocationWork(deps.db, { revocationId }))!;

    const state = await connector.readBack(ctx);
    if (state === "absent") {
      const done = await deps.db.transaction((tx) => markVerified(deps, tx, work!, { method: "read_back", attempt, exchanges: [] }));
      return done ? "verified" : "already_done";
    }
    if (state === "unknown") {
      await saveExchanges(deps.db, revocationId, attempt, [record("verify", null, "Waiting for the receiver's callback", deps, "pending")]);
      return "awaiting_callback";
    }
    throw new ConnectorError(`${work.application.name} still shows the access after the removal was applied`, true);
  } catch (error) {
    const connectorError = error instanceof ConnectorError ? error : null;
    const message = connectorError ? connectorError.message : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    if (!connectorError?.retryable || input.finalAttempt) {
      return fail(deps, work, attempt, connectorError?.retryable ? `${message} (gave up after ${attempt} attempts)` : message);
    }
    await transitionRevocation(deps.db, { revocationId, from: ["dispatched", "applied"], set: { lastError: message } });
    throw new RetryLater(message);
  }
}

/** requested -> dispatched, audited, before anything is sent: a run that dies after sending is then known to have maybe sent. */
async function markDispatched(deps: Deps, work: RevocationWork, kind: "scim" | "webhook"): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const at = deps.now();
    const moved = await transitionRevocation(tx, { revocationId: work.revocation.id, from: ["requested"], set: { status: "dispatched", dispatchedAt: at, connectorKind: kind } });
    if (!moved) return false;
    await recordAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: "revocation.dispatched",
      entityType: "grant",
      entityId: work.grant.id,
      after: { revocationId: work.revocation.id, status: "dispatched", connector: kind },
      at,
    });
    return true;
  });
}

function record(phase: string, request: Record<string, unknown> | null, message: string, deps: Deps, outcome: Exchange["outcome"] = "ok"): Exchange {
  const at = deps.now();
  return { phase, request, response: { note: message }, outcome, error: null, startedAt: at, finishedAt: at };
}

async function fail(deps: Deps, work: RevocationWork, attempt: number, error: string): Promise<AdvanceOutcome> {
  return (await deps.db.transaction((tx) => markFailed(deps, tx, work, { attempt, exchanges: [], error }))) ? "failed" : "already_done";
}

async function settled(deps: Deps, revocationId: string): Promise<AdvanceOutcome> {
  const now = await getRevocationWork(deps.db, { revocationId });
  return now?.revocation.status === "verified" ? "verified" : now?.revocation.status === "failed" ? "failed" : "already_done";
}

/** Manual connector: a task for the app owners, who remove the access and confirm with a note (attestation). */
async function openManualTask(deps: Deps, work: RevocationWork, attempt: number): Promise<AdvanceOutcome> {
  return deps.db.transaction(async (tx) => {
    const at = deps.now();
    const moved = await transitionRevocation(tx, { revocationId: work.revocation.id, from: ["requested"], set: { status: "dispatched", dispatchedAt: at, connectorKind: "manual" } });
    if (!moved) return "already_done";
    const { ownerIds, adminIds } = await listRevocationRecipients(tx, { applicationId: work.application.id, admins: true });
    // Owners do the removal; with no owner, the admins must, rather than nobody.
    const recipients = ownerIds.length > 0 ? ownerIds : adminIds;
    const instructions = typeof work.application.connectorConfig.instructions === "string" ? ` ${work.application.connectorConfig.instructions}` : "";
    await notify(tx, {
      recipientIds: recipients,
      kind: "revocation.manual_task",
      subject: `Remove ${work.entitlement.name} from ${work.identity.displayName} in ${work.application.name}`,
      body: `${work.application.name} has no automatic connector: remove the access in the application, then confirm it in Accord with a note.${instructions}`,
      link: `/revocations?status=dispatched`,
      dedupeKey: `revocation.manual_task:${work.revocation.id}`,
      at,
    });
    await saveExchanges(tx, work.revocation.id, attempt, [
      record("task", { recipients: recipients.length }, `Task sent to ${recipients.length} ${ownerIds.length > 0 ? "app owner(s)" : "admin(s) (the application has no owner)"}`, deps),
    ]);
    await recordAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: "revocation.dispatched",
      entityType: "grant",
      entityId: work.grant.id,
      after: { revocationId: work.revocation.id, status: "dispatched", connector: "manual", notified: recipients },
      at,
    });
    return "awaiting_owner";
  });
}
