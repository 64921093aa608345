import type { JobResult } from "pg-boss";
import { advanceRevocation, type AdvanceHooks } from "@/lib/domain/revocations/advance";
import type { Deps } from "@/lib/domain/deps";
import { QUEUES } from "./queue";

/**
 * The revocation worker: each job moves one revocation as far as it can (see advanceRevocation).
 * A job that throws (RetryLater) is failed on its own and pg-boss retries it with exponential
 * backoff; the queue's retry limit is the "final attempt" that marks the revocation failed. A job
 * whose worker died is retried when it expires (the queue's expireInSeconds), and resumes from the
 * state in the database.
 *
 * Jobs are fetched in batches and a batch's jobs run side by side; while batches come back full
 * the worker fetches again at once, so a backlog drains at the targets' pace, not the poll's.
 */
export async function workRevocations(deps: Deps, options: { hooks?: AdvanceHooks; concurrency?: number; batchSize?: number } = {}): Promise<void> {
  const boss = await deps.jobs.boss();
  const retryLimit = (await boss.getQueue(QUEUES.revocationDispatch))?.retryLimit ?? 0;
  await boss.work<{ revocationId: string }>(
    QUEUES.revocationDispatch,
    { batchSize: options.batchSize ?? 5, perJobResults: true, burstWhenBatchFull: true, pollingIntervalSeconds: 1, localConcurrency: options.concurrency ?? 2 },
    async (jobs): Promise<JobResult[]> =>
      Promise.all(
        jobs.map(async (job): Promise<JobResult> => {
          try {
            await advanceRevocation(deps, { revocationId: job.data.revocationId, finalAttempt: job.retryCount >= retryLimit, hooks: options.hooks });
            return { id: job.id, status: "completed" };
          } catch (error) {
            return { id: job.id, status: "failed", output: { message: error instanceof Error ? error.message : String(error) } };
          }
        }),
      ),
  );
}
