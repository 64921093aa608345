import { z } from "zod";
import { countRevocations, getRevocationWork, listApplicationOwnerIds, listRevocations, transitionRevocation, type RevocationFilters } from "@/db/queries/revocations";
import { Conflict, Forbidden, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { canAttestRevocation, canRetryRevocation, seesEverything, type RevocationFacts } from "@/lib/domain/access/rules";
import { scopeOf } from "@/lib/domain/access/scope";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { isGrantVisible } from "@/db/queries/grants";
import { QUEUES } from "@/lib/jobs/queue";
import { markVerified } from "./outcomes";

async function loadFacts(deps: Deps, actor: Actor, revocationId: string) {
  if (!z.uuid().safeParse(revocationId).success) throw new NotFound("That revocation");
  const work = await getRevocationWork(deps.db, { revocationId });
  if (!work) throw new NotFound("That revocation");
  // Out of scope is "not found", never a hint that it exists.
  if (!seesEverything(actor) && !(await isGrantVisible(deps.db, { scope: await scopeOf(deps.db, actor), grantId: work.grant.id }))) throw new NotFound("That revocation");
  const facts: RevocationFacts = {
    status: work.revocation.status,
    connectorKind: work.revocation.connectorKind === "none" ? "manual" : work.revocation.connectorKind,
    holderId: work.identity.id,
    applicationOwnerIds: await listApplicationOwnerIds(deps.db, { applicationId: work.application.id }),
  };
  return { work, facts };
}

export const retryRevocationInput = z.object({ revocationId: z.uuid() });

/**
 * Sends a failed revocation through the pipeline again. It resumes as "dispatched" when it had
 * reached the target once (the worker reads back before sending again), else as "requested".
 */
export async function retryRevocation(deps: Deps, actor: Actor, input: z.infer<typeof retryRevocationInput>) {
  const { work, facts } = await loadFacts(deps, actor, input.revocationId);
  const verdict = canRetryRevocation(actor, facts);
  if (!verdict.allowed) throw new Forbidden(verdict.reason);
  return deps.db.transaction(async (tx) => {
    const at = deps.now();
    const resumeAs = work.revocation.dispatchedAt ? "dispatched" : "requested";
    const row = await transitionRevocation(tx, { revocationId: work.revocation.id, from: ["failed"], set: { status: resumeAs, failedAt: null } });
    if (!row) throw new Conflict("This revocation is no longer failed; reload the page.");
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "revocation.retried",
      entityType: "grant",
      entityId: work.grant.id,
      before: { revocationId: row.id, status: "failed", error: work.revocation.lastError },
      after: { revocationId: row.id, status: resumeAs },
      at,
    });
    await deps.jobs.sendInTransaction(tx, QUEUES.revocationDispatch, { revocationId: row.id }, { singletonKey: `${row.id}:retry:${row.attempts}` });
    return { revocationId: row.id, status: resumeAs };
  });
}

export const attestRevocationInput = z.object({
  revocationId: z.uuid(),
  note: z.string().trim().min(5, "Say what you did, e.g. where you removed the access.").max(2_000),
});

/** Manual connector: the owner attests the access was removed. Verified, and marked as attestation (not a read-back). */
export async function attestRevocation(deps: Deps, actor: Actor, input: z.infer<typeof attestRevocationInput>) {
  const { work, facts } = await loadFacts(deps, actor, input.revocationId);
  const verdict = canAttestRevocation(actor, facts);
  if (!verdict.allowed) throw new Forbidden(verdict.reason);
  return deps.db.transaction(async (tx) => {
    const at = deps.now();
    const done = await markVerified(deps, tx, work, {
      method: "attestation",
      attempt: Math.max(1, work.revocation.attempts),
      exchanges: [
        { phase: "attestation", request: { note: input.note }, response: { attestedBy: actor.displayName, attestedById: actor.id }, outcome: "ok", error: null, startedAt: at, finishedAt: at },
      ],
      actor: auditActor(actor),
      note: input.note,
    });
    if (!done) throw new Conflict("This revocation is no longer waiting for a confirmation; reload the page.");
    return { revocationId: work.revocation.id, status: "verified" as const };
  });
}

export const revocationFiltersSchema = z.object({
  status: z.enum(["requested", "dispatched", "applied", "verified", "failed", "overdue"]).optional().catch(undefined),
  applicationId: z.uuid().optional().catch(undefined),
  cursor: z.string().max(500).optional().catch(undefined),
});

/** The Revocations page: everything for admins and auditors, the grants in scope (owned applications, own people) for others. */
export async function browseRevocations(deps: Deps, actor: Actor, filters: RevocationFilters) {
  const scope = await scopeOf(deps.db, actor);
  const now = deps.now();
  const [page, counts] = await Promise.all([listRevocations(deps.db, { scope, filters, now }), countRevocations(deps.db, { scope, now })]);
  return { ...page, counts, asOf: now };
}
