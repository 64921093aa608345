import type { Deps } from "@/lib/domain/deps";
import { refreshPrivilegeRollup } from "@/lib/domain/metrics/rollup";
import { QUEUES } from "./queue";

/**
 * The dashboard's daily rollup (lib/domain/metrics/rollup.ts): brought up to date every 15
 * minutes (what changed since the last run), rebuilt whole every night at 03:17 UTC so every day
 * carries today's attribution. pg-boss fires each schedule once across instances; a run that
 * finds another under way stands down. A whole rebuild at 2M grants takes minutes, not seconds.
 */
export async function workMetricsRollup(deps: Deps): Promise<void> {
  const boss = await deps.jobs.boss();
  await boss.schedule(QUEUES.metricsRollup, "*/15 * * * *", { full: false }, { tz: "UTC", expireInSeconds: 1800, retryLimit: 1, key: "incremental" });
  await boss.schedule(QUEUES.metricsRollup, "17 3 * * *", { full: true }, { tz: "UTC", expireInSeconds: 3600, retryLimit: 1, key: "nightly" });
  await boss.work<{ full?: boolean }>(QUEUES.metricsRollup, { batchSize: 1 }, async ([job]) => {
    await refreshPrivilegeRollup(deps, { full: job?.data?.full === true });
  });
}
