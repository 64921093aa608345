import { failAbandonedImport, listLongApplyingImports } from "@/db/queries/imports";
import { SYSTEM_ACTOR } from "@/lib/domain/access/actor";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";

/**
 * How long after its claim a batch may be "applying" before the sweep looks at it: the apply's
 * transaction starts within seconds of the claim (after the file is read back), and from then on
 * its lock says it is running, however long it takes.
 */
export const IMPORT_APPLY_LEASE_MS = 10 * 60_000;

export const ABANDONED_IMPORT = "The server stopped while applying; nothing was written, import it again.";

/**
 * A web import applies in next's after(), in one transaction: a server that dies mid-apply
 * leaves nothing written, but the batch "applying" forever. Batches applying for longer than the
 * lease whose transaction is no longer running (its advisory lock is free) are marked failed,
 * audited; two sweeps at once fail each batch once (the lock and a conditional update).
 */
export async function sweepStuckImports(deps: Deps, options: { leaseMs?: number } = {}): Promise<number> {
  const claimedBefore = new Date(deps.now().getTime() - (options.leaseMs ?? IMPORT_APPLY_LEASE_MS));
  let failed = 0;
  for (const batch of await listLongApplyingImports(deps.db, { claimedBefore })) {
    const done = await deps.db.transaction(async (tx) => {
      const summary = { ...batch.summary, failure: ABANDONED_IMPORT };
      if (!(await failAbandonedImport(tx, { batchId: batch.id, summary }))) return false;
      await recordAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: "import.failed",
        entityType: "import_batch",
        entityId: batch.id,
        before: { status: "applying", applyStartedAt: batch.applyStartedAt?.toISOString() ?? null },
        after: { status: "failed", filename: batch.filename },
        reason: ABANDONED_IMPORT,
        at: deps.now(),
      });
      return true;
    });
    if (done) failed++;
  }
  return failed;
}
