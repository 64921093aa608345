/**
 * One evidence export in a process of its own, for the benchmark: an auditor exports the
 * campaign's items in the given format to a sink that reads at full speed, and the process
 * prints the time, the bytes and its own peak resident memory as JSON.
 *
 *   DATABASE_URL=… tsx scripts/bench/export-child.ts <campaignId> csv|json
 */
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import { connect } from "@/db/client";
import { loadActiveActor } from "@/lib/domain/access/load-actor";
import type { Deps } from "@/lib/domain/deps";
import { openExport } from "@/lib/domain/evidence-export/open-export";
import { exportRequestSchema, startExport } from "@/lib/domain/evidence-export/start-export";
import { databaseUrl } from "@/lib/env";
import { JobQueue } from "@/lib/jobs/queue";
import { countingSink } from "./limits";

/**
 * This process's peak resident memory. On Linux, VmHWM: getrusage's maxRSS survives exec, so a
 * child spawned by a large parent would report the parent's size as its own.
 */
function peakRssBytes(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function main() {
  const [campaignId, format] = process.argv.slice(2);
  const url = databaseUrl();
  const { db, close } = connect(url, { max: 2 });
  const deps: Deps = { db, now: () => new Date(), jobs: new JobQueue(url) };
  try {
    const [auditor] = await db.execute<{ identity_id: string }>(sql`select identity_id from identity_roles where role = 'auditor' limit 1`);
    const actor = (await loadActiveActor(db, auditor!.identity_id))!;
    const sink = countingSink();
    const started = performance.now();
    const { exportId } = await startExport(deps, actor, exportRequestSchema.parse({ scope: "campaign", campaignId, format, table: "items" }));
    const opened = await openExport(deps, actor, { exportId });
    await pipeline(opened.body, sink.sink);
    await opened.done;
    process.stdout.write(JSON.stringify({ seconds: (performance.now() - started) / 1000, bytes: sink.bytes(), maxRssMb: peakRssBytes() / 1e6 }));
  } finally {
    await deps.jobs.stop().catch(() => {});
    await close();
  }
}

void main();
