import type { Deps } from "@/lib/domain/deps";
import { sweepStuckImports } from "@/lib/domain/import/sweep";
import { sweepStalledRevocations } from "@/lib/domain/revocations/sweep";
import { QUEUES } from "./queue";

/**
 * Work that a dead process left half-way, every five minutes (pg-boss fires a schedule once
 * across all instances; the sweeps are safe to run twice anyway): revocations nothing is moving
 * any more, and imports left "applying" by a server that stopped.
 */
export async function workStuckWork(deps: Deps): Promise<void> {
  const boss = await deps.jobs.boss();
  await boss.schedule(QUEUES.stuckWorkSweep, "*/5 * * * *", null, { tz: "UTC", expireInSeconds: 600, retryLimit: 1 });
  await boss.work(QUEUES.stuckWorkSweep, { batchSize: 1 }, async () => {
    await sweepStalledRevocations(deps);
    await sweepStuckImports(deps);
  });
}
