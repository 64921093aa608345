import type { Tx } from "@/db/client";
import { endActivation, lockDueActivations, lockDueGrants } from "@/db/queries/activations";
import { SYSTEM_ACTOR } from "@/lib/domain/access/actor";
import { expireDueRequests } from "@/lib/domain/approvals/expire-requests";
import { rerouteStuckSteps } from "@/lib/domain/approvals/reroute-steps";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { requestRevocation } from "@/lib/domain/revocations/request-revocation";

const BATCH = 200;

/** Wall-clock time (not the domain clock tests move) after which a sweep stops and leaves the rest to the next run. */
export interface Budget {
  deadline: number;
}

const unlimited = (): Budget => ({ deadline: Infinity });

/**
 * Runs `work` on locked batches (one transaction each, so progress commits as it goes) until a
 * batch comes back short, changes nothing, or the budget is spent.
 */
async function inBatches(deps: Deps, budget: Budget, work: (tx: Tx, at: Date) => Promise<{ seen: number; changed: number }>): Promise<number> {
  let total = 0;
  for (;;) {
    const { seen, changed } = await deps.db.transaction((tx) => work(tx, deps.now()));
    total += changed;
    if (seen < BATCH || changed === 0 || performance.now() >= budget.deadline) return total;
  }
}

/** JIT windows whose end has passed close as "expired" at their planned end: outside a window the privilege is not live. */
export async function expireDueActivations(deps: Deps, budget: Budget = unlimited()): Promise<number> {
  return inBatches(deps, budget, async (tx, at) => {
    const due = await lockDueActivations(tx, { at, limit: BATCH });
    for (const activation of due) {
      await endActivation(tx, { activationId: activation.id, status: "expired", endedAt: activation.endsAt });
      await recordAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: "activation.expired",
        entityType: "grant",
        entityId: activation.grantId,
        before: { activationId: activation.id, status: "active" },
        after: { activationId: activation.id, status: "expired", endedAt: activation.endsAt.toISOString() },
        at,
      });
    }
    return { seen: due.length, changed: due.length };
  });
}

/**
 * Grants past their end (time-bound grants, and eligibility granted until a date) are revoked
 * through the revocation pipeline: expiry is a real removal in the target, tracked to verified
 * or failed, not a label. The expiry time is the cause reference, so a grant extended and
 * expiring again gets a new revocation, and a repeated sweep never a second one.
 */
export async function expireDueGrants(deps: Deps, budget: Budget = unlimited()): Promise<number> {
  return inBatches(deps, budget, async (tx, at) => {
    const due = await lockDueGrants(tx, { at, limit: BATCH });
    let changed = 0;
    for (const grant of due) {
      const expiresAt = grant.expiresAt!.toISOString();
      const { created, revocationId } = await requestRevocation(deps, tx, { grantId: grant.id, cause: "expiry", causeRef: expiresAt, actor: SYSTEM_ACTOR, reason: `Expired at ${expiresAt}` });
      if (!created) continue;
      changed++;
      await recordAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: "grant.expired",
        entityType: "grant",
        entityId: grant.id,
        before: { status: "active", kind: grant.kind },
        after: { expiresAt, revocationId },
        at,
      });
    }
    return { seen: due.length, changed };
  });
}

/**
 * The access sweep job, most urgent first: ended windows (live privilege), expired grants,
 * lapsed requests, then approval steps whose approvers left (routed to someone who can decide).
 * A backlog (say, thousands of grants imported already expired) is worked off over several
 * runs: each stops after `budgetMs`, well inside the job's expiry, and the next minute's run
 * carries on.
 */
export async function sweepAccessExpiry(deps: Deps, options: { budgetMs?: number } = {}) {
  const budget = { deadline: performance.now() + (options.budgetMs ?? 60_000) };
  const activations = await expireDueActivations(deps, budget);
  const grants = performance.now() < budget.deadline ? await expireDueGrants(deps, budget) : 0;
  const requests = performance.now() < budget.deadline ? await expireDueRequests(deps, budget) : 0;
  const rerouted = performance.now() < budget.deadline ? await rerouteStuckSteps(deps, budget) : 0;
  return { activations, grants, requests, rerouted };
}
