/**
 * A revocation worker in its own process that SIGKILLs itself at a chosen point, so a test can
 * prove that a job whose worker died resumes from the database state and finishes exactly once.
 *
 *   tsx lib/testing/revocation-crash-worker.ts <database url> afterDispatch|afterApplied
 *
 * It prints "ready" once it is polling the queue.
 */
import { connect } from "@/db/client";
import { JobQueue } from "@/lib/jobs/queue";
import { workRevocations } from "@/lib/jobs/revocation-worker";
import { CRASH_TEST_POLICY } from "./revocation-policy";

const [url, point] = process.argv.slice(2);
if (!url || (point !== "afterDispatch" && point !== "afterApplied")) {
  console.error("usage: revocation-crash-worker.ts <database url> afterDispatch|afterApplied");
  process.exit(2);
}
const { db } = connect(url, { max: 2 });
const jobs = new JobQueue(url, CRASH_TEST_POLICY);
const die = async () => {
  process.kill(process.pid, "SIGKILL");
  await new Promise(() => {});
};
await workRevocations({ db, now: () => new Date(), jobs }, { hooks: { [point]: die }, concurrency: 1, batchSize: 1 });
console.log("ready");
