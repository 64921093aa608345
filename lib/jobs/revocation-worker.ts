import { advanceRevocation, type AdvanceHooks } from "@/lib/domain/revocations/advance";
import type { Deps } from "@/lib/domain/deps";
import { QUEUES } from "./queue";

/**
 * The revocation worker: each job moves one revocation as far as it can (see advanceRevocation).
 * A thrown RetryLater makes pg-boss retry with exponential backoff; the queue's retry limit is the
 * "final attempt" that marks the revocation failed. A job whose worker died is retried when it
 * expires (the queue's expireInSeconds), and resumes from the state in the database.
 */
export async function workRevocations(deps: Deps, options: { hooks?: AdvanceHooks; concurrency?: number } = {}): Promise<void> {
  const boss = await deps.jobs.boss();
  const retryLimit = (await boss.getQueue(QUEUES.revocationDispatch))?.retryLimit ?? 0;
  await boss.work<{ revocationId: string }>(
    QUEUES.revocationDispatch,
    { batchSize: 1, pollingIntervalSeconds: 1, localConcurrency: options.concurrency ?? 2 },
    async ([job]) => {
      if (!job) return;
      await advanceRevocation(deps, { revocationId: job.data.revocationId, finalAttempt: job.retryCount >= retryLimit, hooks: options.hooks });
    },
  );
}
