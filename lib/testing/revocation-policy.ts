import type { RetryPolicy } from "@/lib/jobs/queue";

/** Retries seconds apart, and a dead worker's job taken back after 3 s, so tests see both quickly. */
export const CRASH_TEST_POLICY: RetryPolicy = { retryLimit: 3, retryDelay: 1, retryDelayMax: 2, expireInSeconds: 3, superviseIntervalSeconds: 1 };
