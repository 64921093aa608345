import type { Db } from "@/db/client";
import { databaseUrl } from "@/lib/env";
import { JobQueue } from "@/lib/jobs/queue";

/** What every domain service needs: the database, a clock tests can move, and the job queue. */
export interface Deps {
  db: Db;
  now: () => Date;
  jobs: JobQueue;
}

const holder = globalThis as typeof globalThis & { __accordJobs?: JobQueue };

/** The process-wide job queue on DATABASE_URL, started on first use. */
export function systemJobs(): JobQueue {
  holder.__accordJobs ??= new JobQueue(databaseUrl());
  return holder.__accordJobs;
}

export function systemDeps(db: Db): Deps {
  return {
    db,
    now: () => new Date(),
    get jobs() {
      return systemJobs();
    },
  };
}
