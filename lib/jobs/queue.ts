import { sql } from "drizzle-orm";
import { fromDrizzle, PgBoss } from "pg-boss";
import type { Executor } from "@/db/client";

/** Every queue Accord uses, with its retry policy. Handlers live in lib/jobs/workers.ts. */
export const QUEUES = {
  webhookDeliver: "webhook-deliver",
  revocationDispatch: "revocation-dispatch",
  campaignLaunch: "campaign-launch",
  campaignSweep: "campaign-sweep",
  accessExpiry: "access-expiry",
  findingsRecompute: "findings-recompute",
  auditCheckpoint: "audit-checkpoint",
  metricsRollup: "metrics-rollup",
  stuckWorkSweep: "stuck-work-sweep",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface RetryPolicy {
  retryLimit: number;
  retryDelay: number;
  retryDelayMax: number;
  /** How long a job may run before pg-boss takes it back and retries it (a worker that died); default 120 s. */
  expireInSeconds?: number;
  /** How often pg-boss looks for such expired jobs; default 60 s. */
  superviseIntervalSeconds?: number;
}

/** Exponential backoff with jitter: 10 s, 20 s, 40 s … capped at an hour, 8 tries (about 40 minutes in all). */
export const DEFAULT_RETRY: RetryPolicy = { retryLimit: 8, retryDelay: 10, retryDelayMax: 3600 };

/**
 * The PostgreSQL-backed job queue (pg-boss). Jobs are sent inside the transaction of the change
 * that causes them (outbox), so a rolled-back change leaves no job and a committed one is never
 * lost; several app instances share the queue and each job runs once at a time.
 */
export class JobQueue {
  #boss: Promise<PgBoss> | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  boss(): Promise<PgBoss> {
    this.#boss ??= (async () => {
      const { expireInSeconds = 120, superviseIntervalSeconds, ...retry } = this.retry;
      const boss = new PgBoss({
        connectionString: this.connectionString,
        schema: "pgboss",
        max: 4,
        ...(superviseIntervalSeconds ? { superviseIntervalSeconds, monitorIntervalSeconds: superviseIntervalSeconds } : {}),
      });
      boss.on("error", (error) => console.error("[jobs]", error));
      await boss.start();
      for (const name of Object.values(QUEUES)) {
        await boss.createQueue(name, { ...retry, retryBackoff: true, expireInSeconds });
      }
      return boss;
    })();
    return this.#boss;
  }

  /**
   * Enqueue as part of the caller's transaction; singletonKey makes a repeated send a no-op.
   * retryLimit overrides the queue's for this job (a job resumed with part of its tries used).
   */
  async sendInTransaction(tx: Executor, name: QueueName, data: object, options: { singletonKey?: string; retryLimit?: number } = {}): Promise<void> {
    const boss = await this.boss();
    await boss.send(name, data, { ...options, db: fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql) });
  }

  /** Many jobs in one statement, in the caller's transaction (e.g. one webhook delivery per finding opened). */
  async sendManyInTransaction(tx: Executor, name: QueueName, jobs: { data: object; singletonKey?: string }[]): Promise<void> {
    if (jobs.length === 0) return;
    const boss = await this.boss();
    await boss.insert(name, jobs, { db: fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql) });
  }

  /** The queue's retry limit: a job runs at most this many times more after its first run. */
  async retryLimit(name: QueueName): Promise<number> {
    const boss = await this.boss();
    return (await boss.getQueue(name))?.retryLimit ?? 0;
  }

  async stop(): Promise<void> {
    if (!this.#boss) return;
    const boss = await this.#boss;
    this.#boss = null;
    await boss.stop({ graceful: true, timeout: 5_000 });
  }
}
