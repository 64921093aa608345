import { Conflict } from "@/lib/errors";
import { env } from "@/lib/env";
import type { Deps } from "@/lib/domain/deps";
import { recomputeFindings } from "@/lib/domain/findings/recompute";
import { QUEUES } from "./queue";

/**
 * Drift findings are recomputed on a schedule (ACCORD_FINDINGS_CRON, hourly by default, UTC);
 * pg-boss fires a schedule once across all app instances. A run may take up to a minute at
 * 100,000 identities, so the job is given 15 minutes before it counts as lost. Admins can also
 * run it from the findings page; if that run is under way, the scheduled one stands down.
 */
export async function workFindings(deps: Deps): Promise<void> {
  const boss = await deps.jobs.boss();
  await boss.schedule(QUEUES.findingsRecompute, env().ACCORD_FINDINGS_CRON, null, { tz: "UTC", expireInSeconds: 900, retryLimit: 2 });
  await boss.work(QUEUES.findingsRecompute, { batchSize: 1 }, async () => {
    try {
      await recomputeFindings(deps, "system");
    } catch (error) {
      if (error instanceof Conflict) return;
      throw error;
    }
  });
}
