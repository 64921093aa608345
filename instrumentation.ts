/**
 * Runs once when a Next server starts: the job workers (webhook delivery, and later revocations
 * and schedules) run inside each app instance; pg-boss makes sure each job runs once at a time.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  if (env().ACCORD_WORKERS === "off" || !env().DATABASE_URL) return;
  const { db } = await import("./db/client");
  const { systemDeps } = await import("./lib/domain/deps");
  const { startWorkers } = await import("./lib/jobs/workers");
  await startWorkers(systemDeps(db()));
}
