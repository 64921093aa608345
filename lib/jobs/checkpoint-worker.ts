import { env } from "@/lib/env";
import { publishCheckpoint } from "@/lib/domain/audit/checkpoints";
import type { Deps } from "@/lib/domain/deps";
import { QUEUES } from "./queue";

/**
 * Publishes a signed checkpoint of the audit trail's head on a schedule (ACCORD_CHECKPOINT_CRON,
 * hourly by default, UTC), once across all instances; nothing is published when the trail has
 * not moved since the last one. Exports publish their own checkpoint as well.
 */
export async function workCheckpoints(deps: Deps): Promise<void> {
  const boss = await deps.jobs.boss();
  await boss.schedule(QUEUES.auditCheckpoint, env().ACCORD_CHECKPOINT_CRON, null, { tz: "UTC" });
  await boss.work(QUEUES.auditCheckpoint, { batchSize: 1 }, async () => {
    await publishCheckpoint(deps, "schedule");
  });
}
