import { runLaunch } from "@/lib/domain/campaigns/launch-campaign";
import { sweepCampaigns } from "@/lib/domain/campaigns/sweep";
import { sweepAccessExpiry } from "@/lib/domain/jit/expire";
import { deliverWebhook } from "@/lib/domain/webhooks/deliver";
import type { Deps } from "@/lib/domain/deps";
import { workCheckpoints } from "./checkpoint-worker";
import { workFindings } from "./findings-worker";
import { workMetricsRollup } from "./metrics-worker";
import { workRevocations } from "./revocation-worker";
import { workStuckWork } from "./stuck-work-worker";
import { QUEUES } from "./queue";

/**
 * Registers every job handler on the queue. Run in each app instance (instrumentation.ts) or in
 * tests; pg-boss hands each job to one worker at a time.
 */
export async function startWorkers(deps: Deps): Promise<void> {
  const boss = await deps.jobs.boss();
  const retryLimit = (await boss.getQueue(QUEUES.webhookDeliver))?.retryLimit ?? 0;
  await boss.work<{ deliveryId: string }>(QUEUES.webhookDeliver, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
    if (!job) return;
    await deliverWebhook(deps, { deliveryId: job.data.deliveryId, finalAttempt: job.retryCount >= retryLimit });
  });
  await workRevocations(deps);
  await boss.work<{ campaignId: string }>(QUEUES.campaignLaunch, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
    if (job) await runLaunch(deps, { campaignId: job.data.campaignId });
  });
  // Reminders, escalation, closing and recurring runs: pg-boss fires a schedule once across all instances.
  await boss.schedule(QUEUES.campaignSweep, "*/10 * * * *");
  await boss.work(QUEUES.campaignSweep, { batchSize: 1 }, async () => {
    await sweepCampaigns(deps);
  });
  // Every minute: lapse undecided requests, close ended JIT windows, revoke expired grants, route around approvers who left.
  await boss.schedule(QUEUES.accessExpiry, "* * * * *");
  await boss.work(QUEUES.accessExpiry, { batchSize: 1 }, async () => {
    await sweepAccessExpiry(deps);
  });
  await workFindings(deps);
  await workCheckpoints(deps);
  await workMetricsRollup(deps);
  await workStuckWork(deps);
}
