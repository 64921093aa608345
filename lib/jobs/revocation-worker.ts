import type { JobResult, JobWithMetadata } from "pg-boss";
import { advanceRevocation, type AdvanceHooks } from "@/lib/domain/revocations/advance";
import type { Deps } from "@/lib/domain/deps";
import { QUEUES } from "./queue";

/** A revocation job: `resend` when the stuck-work sweep asks for a webhook event to be sent again. */
export interface RevocationJob {
  revocationId: string;
  resend?: boolean;
}

/**
 * The revocation worker: each job moves one revocation as far as it can (see advanceRevocation).
 * A job that throws (RetryLater) is failed on its own and pg-boss retries it with exponential
 * backoff; the job's retry limit (the queue's, or fewer for a job the sweep resumed with tries
 * already used) is the "final attempt" that marks the revocation failed. A job whose worker died
 * is retried when it expires (the queue's expireInSeconds), and resumes from the state in the
 * database; one that died on its final attempt is left to the stuck-work sweep.
 *
 * Jobs are fetched in batches and a batch's jobs run side by side; while batches come back full
 * the worker fetches again at once, so a backlog drains at the targets' pace, not the poll's.
 */
export async function workRevocations(deps: Deps, options: { hooks?: AdvanceHooks; concurrency?: number; batchSize?: number } = {}): Promise<void> {
  const boss = await deps.jobs.boss();
  await boss.work(
    QUEUES.revocationDispatch,
    { batchSize: options.batchSize ?? 5, perJobResults: true, includeMetadata: true, burstWhenBatchFull: true, pollingIntervalSeconds: 1, localConcurrency: options.concurrency ?? 2 },
    async (jobs: JobWithMetadata<RevocationJob>[]): Promise<JobResult[]> =>
      Promise.all(
        jobs.map(async (job): Promise<JobResult> => {
          try {
            await advanceRevocation(deps, { revocationId: job.data.revocationId, finalAttempt: job.retryCount >= job.retryLimit, resend: job.data.resend === true, hooks: options.hooks });
            return { id: job.id, status: "completed" };
          } catch (error) {
            return { id: job.id, status: "failed", output: { message: error instanceof Error ? error.message : String(error) } };
          }
        }),
      ),
  );
}
