import { afterAll, inject } from "vitest";
import { connect } from "@/db/client";
import { createDatabase, dropDatabase } from "./server";
import type { Connection } from "@/db/client";
import type { Deps } from "@/lib/domain/deps";
import { JobQueue } from "@/lib/jobs/queue";

/**
 * Import this from an integration test. Each test file gets its own database cloned from the migrated template, so files never see
 * each other's rows and a file may tamper with its database (e.g. the audit chain) safely.
 */
const adminUrl = inject("adminUrl");
const name = `accord_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
const url = await createDatabase(adminUrl, name, inject("templateDatabase"));
const connection: Connection = connect(url, { max: 5 });

export const testDb = connection.db;
/** The job queue on this file's database, with retries seconds apart so tests see them. */
export const testJobs = new JobQueue(url, { retryLimit: 3, retryDelay: 1, retryDelayMax: 2 });
export const testDatabaseUrl = url;

/** Deps with a clock a test can set. */
export function testDeps(now?: () => Date): Deps {
  return { db: connection.db, now: now ?? (() => new Date()), jobs: testJobs };
}

afterAll(async () => {
  await testJobs.stop();
  await connection.close();
  await dropDatabase(adminUrl, name);
});
