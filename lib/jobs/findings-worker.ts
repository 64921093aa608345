import type { Executor } from "@/db/client";
import { Conflict } from "@/lib/errors";
import { env } from "@/lib/env";
import type { Deps } from "@/lib/domain/deps";
import { recomputeFindings } from "@/lib/domain/findings/recompute";
import { QUEUES } from "./queue";

/**
 * Drift findings are recomputed on a schedule (ACCORD_FINDINGS_CRON, hourly by default, UTC),
 * and after a change to what they are computed from that admins make by hand (a SoD rule);
 * pg-boss fires a schedule once across all app instances. A run may take up to a minute at
 * 100,000 identities, so the job is given 15 minutes before it counts as lost. Admins can also
 * run it from the findings page; if that run is under way, the scheduled one stands down.
 */
/** A recompute asked for by a change names it; the scheduled ones carry nothing. */
export interface FindingsJob {
  cause?: "sod_rule";
}

/** Queues a recompute in the transaction of the change that needs it (outbox: only if it commits). */
export async function requestFindingsRecompute(deps: Deps, tx: Executor, cause: NonNullable<FindingsJob["cause"]>): Promise<void> {
  await deps.jobs.sendInTransaction(tx, QUEUES.findingsRecompute, { cause } satisfies FindingsJob);
}

export async function workFindings(deps: Deps): Promise<void> {
  const boss = await deps.jobs.boss();
  await boss.schedule(QUEUES.findingsRecompute, env().ACCORD_FINDINGS_CRON, null, { tz: "UTC", expireInSeconds: 900, retryLimit: 2 });
  await boss.work<FindingsJob>(QUEUES.findingsRecompute, { batchSize: 1 }, async ([job]) => {
    try {
      await recomputeFindings(deps, "system");
    } catch (error) {
      // A scheduled run stands down when another recompute is under way. One asked for by a change
      // (a SoD rule) may have missed that run, so it is retried after it (the queue's backoff).
      if (error instanceof Conflict && !job?.data.cause) return;
      throw error;
    }
  });
}
