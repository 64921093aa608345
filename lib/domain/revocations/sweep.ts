import { getRevocationWork, transitionRevocation, type RevocationWork } from "@/db/queries/revocations";
import { listStalledRevocations, lockOpenRevocation, type StalledRevocation } from "@/db/queries/revocation-sweep";
import type { Tx } from "@/db/client";
import { SYSTEM_ACTOR } from "@/lib/domain/access/actor";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { QUEUES } from "@/lib/jobs/queue";
import type { RevocationJob } from "@/lib/jobs/revocation-worker";
import type { Exchange } from "./connectors/types";
import { markFailed, saveExchanges } from "./outcomes";

/**
 * How long an open revocation may sit with no job and nothing happening before the sweep takes
 * it back. Every run of a live revocation has a job in pg-boss, so this only guards the sweep
 * against acting on a state it reads mid-change; well past the queue's 120 s job expiry.
 */
export const REVOCATION_LEASE_MS = 10 * 60_000;
const BATCH = 100;

export interface RevocationSweepResult {
  resumed: number;
  resent: number;
  failed: number;
}

/**
 * Finds revocations nothing is moving (see listStalledRevocations) and moves them, so none is
 * ever silently left open:
 * - a worker that died on its last try (pg-boss retries no further) or a lost job: the stopped
 *   run counts as an attempt; with attempts left, a new job resumes from the state in the
 *   database, else the revocation fails with a clear error and the owners and admins are told;
 * - a webhook receiver that never called back within the application's SLA of the last send:
 *   the same event is sent again (same webhook-id and idempotency key), until attempts run out,
 *   then it fails: "the receiver never confirmed".
 * Exactly once across instances: each revocation is locked (SKIP LOCKED) and checked again
 * after the lock, in a fresh snapshot that sees another sweep's committed job or failure.
 */
export async function sweepStalledRevocations(deps: Deps, options: { leaseMs?: number } = {}): Promise<RevocationSweepResult> {
  const leaseMs = options.leaseMs ?? REVOCATION_LEASE_MS;
  const result: RevocationSweepResult = { resumed: 0, resent: 0, failed: 0 };
  const seen = new Set<string>();
  for (;;) {
    const candidates = (await listStalledRevocations(deps.db, { queue: QUEUES.revocationDispatch, now: deps.now(), leaseMs, limit: BATCH })).filter((c) => !seen.has(c.id));
    for (const candidate of candidates) {
      seen.add(candidate.id);
      const outcome = await settleStalledRevocation(deps, { revocationId: candidate.id, leaseMs });
      if (outcome) result[outcome]++;
    }
    if (candidates.length === 0) return result;
  }
}

/**
 * One revocation a sweep listed as stalled: locked, then checked again in a fresh snapshot, since
 * another sweep may have acted on it after this one listed it (null: nothing to do any more).
 */
export async function settleStalledRevocation(deps: Deps, input: { revocationId: string; leaseMs?: number }): Promise<keyof RevocationSweepResult | null> {
  const maxAttempts = (await deps.jobs.retryLimit(QUEUES.revocationDispatch)) + 1;
  return deps.db.transaction(async (tx) => {
    if (!(await lockOpenRevocation(tx, { revocationId: input.revocationId }))) return null;
    const leaseMs = input.leaseMs ?? REVOCATION_LEASE_MS;
    const [still] = await listStalledRevocations(tx, { queue: QUEUES.revocationDispatch, now: deps.now(), leaseMs, limit: 1, revocationId: input.revocationId });
    if (!still) return null;
    const work = (await getRevocationWork(tx, { revocationId: still.id }))!;
    return still.awaitingCallback ? resendOrFail(deps, tx, work, still, maxAttempts) : resumeOrFail(deps, tx, work, maxAttempts);
  });
}

function receipt(deps: Deps, phase: string, error: string): Exchange {
  const at = deps.now();
  return { phase, request: null, response: null, outcome: "error", error, startedAt: at, finishedAt: at };
}

async function enqueue(deps: Deps, tx: Tx, job: RevocationJob, retryLimit: number) {
  await deps.jobs.sendInTransaction(tx, QUEUES.revocationDispatch, job, { retryLimit });
}

/** A run that stopped where pg-boss will not retry it: counted as an attempt, resumed while attempts remain. */
async function resumeOrFail(deps: Deps, tx: Tx, work: RevocationWork, maxAttempts: number): Promise<keyof RevocationSweepResult> {
  const attempt = work.revocation.attempts + 1;
  const app = work.application.name;
  const where = {
    requested: "before anything was sent",
    dispatched: `after sending the removal to ${app}, before it answered (it may have removed the access)`,
    applied: `after ${app} accepted the removal, before it was verified`,
  }[work.revocation.status as "requested" | "dispatched" | "applied"];
  const stopped = `The worker stopped ${where}, and its job will not run again`;
  if (attempt >= maxAttempts) {
    const error = `${stopped}; no attempts are left (${attempt} of ${maxAttempts}). Check ${app}, then retry or confirm the removal.`;
    await markFailed(deps, tx, work, { attempt, exchanges: [receipt(deps, "sweep", error)], error });
    return "failed";
  }
  const note = `${stopped}; resumed by the sweep (attempt ${attempt} of ${maxAttempts} counted as lost)`;
  await saveExchanges(tx, work.revocation.id, attempt, [receipt(deps, "sweep", note)]);
  await transitionRevocation(tx, { revocationId: work.revocation.id, from: [work.revocation.status], set: { lastError: note } });
  await recordAudit(tx, {
    actor: SYSTEM_ACTOR,
    action: "revocation.resumed",
    entityType: "grant",
    entityId: work.grant.id,
    after: { revocationId: work.revocation.id, status: work.revocation.status, attempt, maxAttempts },
    reason: note,
    at: deps.now(),
  });
  // The resumed job gets only the tries that are left, so the limit holds across jobs.
  await enqueue(deps, tx, { revocationId: work.revocation.id }, maxAttempts - attempt - 1);
  return "resumed";
}

/** A webhook receiver that accepted the removal but never called back: send it again, or give up. */
async function resendOrFail(deps: Deps, tx: Tx, work: RevocationWork, stalled: StalledRevocation, maxAttempts: number): Promise<keyof RevocationSweepResult> {
  const attempt = Math.max(1, work.revocation.attempts);
  const waited = `No callback from ${work.application.name}'s receiver within ${stalled.slaHours} h (the application's revocation SLA) of the last send`;
  if (attempt >= maxAttempts) {
    const error = `The receiver never confirmed the removal: ${waited}, after ${attempt} attempts. Check the receiver, then retry or confirm the removal.`;
    await markFailed(deps, tx, work, { attempt, exchanges: [receipt(deps, "verify", error)], error });
    return "failed";
  }
  const note = `${waited}; sending the event again (attempt ${attempt + 1} of ${maxAttempts})`;
  // Kept under the unconfirmed send's attempt: the resend is the next attempt, counted when it runs.
  await saveExchanges(tx, work.revocation.id, attempt, [receipt(deps, "verify", note)]);
  await transitionRevocation(tx, { revocationId: work.revocation.id, from: ["applied"], set: { lastError: note } });
  await recordAudit(tx, {
    actor: SYSTEM_ACTOR,
    action: "revocation.resent",
    entityType: "grant",
    entityId: work.grant.id,
    after: { revocationId: work.revocation.id, status: "applied", attempt: attempt + 1, maxAttempts },
    reason: note,
    at: deps.now(),
  });
  await enqueue(deps, tx, { revocationId: work.revocation.id, resend: true }, maxAttempts - attempt - 1);
  return "resent";
}
