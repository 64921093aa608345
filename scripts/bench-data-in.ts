import { sql } from "drizzle-orm";
import { connect } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { cliPrincipal, importFile } from "@/lib/domain/import/batches";
import { csvLine } from "@/lib/domain/import/template";
import { scimCaller, scimToken } from "@/lib/domain/scim/test-client";
import { JobQueue } from "@/lib/jobs/queue";
import type { Deps } from "@/lib/domain/deps";
import { createDatabase, dropDatabase } from "@/lib/testing/server";

const SCRATCH = "accord_bench_data_in";

/**
 * Getting data in, on a scratch database beside DATABASE_URL: a 100,000-row identities CSV
 * through the importer (rows/s, peak RSS), then SCIM list-with-filter at 100,000 users.
 */
export async function benchDataIn(serverUrl: string, runs: number, measure: (name: string, fn: () => Promise<unknown>) => Promise<void>) {
  const url = await createDatabase(serverUrl, SCRATCH);
  await migrateDatabase(url);
  const { db, close } = connect(url, { max: 4 });
  const deps: Deps = { db, now: () => new Date(), jobs: new JobQueue(url) };
  try {
    const rows = 100_000;
    const parts = [csvLine(["external_id", "source", "type", "display_name", "email", "user_name", "status", "department", "title", "manager_external_id"])];
    for (let i = 0; i < rows; i++) {
      parts.push(csvLine([`E${i}`, "import:bench", "employee", `Person ${i}`, `person${i}@bench.example`, `p${i}`, "active", `Dept ${i % 40}`, "Engineer", i >= 100 ? `E${i % 100}` : ""]));
    }
    const content = Buffer.from(parts.join(""));
    let peak = process.memoryUsage().rss;
    const started = performance.now();
    const result = await importFile(deps, cliPrincipal("bench"), { kind: "identities", filename: "bench.csv", content }, { onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)) });
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`import 100,000-row identities CSV (${(content.length / 2 ** 20).toFixed(1)} MB)`.padEnd(58), `${seconds.toFixed(1)} s, ${Math.round(rows / seconds).toLocaleString("en")} rows/s, peak RSS ${Math.round(peak / 2 ** 20)} MiB, ok=${result.applied}`);

    const token = await scimToken(db, deps, { source: "bench" });
    await db.execute(sql`
      insert into identities (source, kind, type, display_name, user_name, email, status, scim_resource)
      select ${token.identitySource}, 'human', 'employee', 'SCIM user ' || n, 'scim.user' || n || '@idp.example', 'scim.user' || n || '@idp.example', 'active',
        jsonb_build_object('userName', 'scim.user' || n || '@idp.example', 'externalId', 'X' || n, 'active', true)
      from generate_series(1, 100000) n`);
    await db.execute(sql`analyze identities`);
    const scim = scimCaller(deps, token.secret);
    await measure("SCIM GET /Users?filter=userName eq … (100k users)", () => scim("GET", `/Users?filter=${encodeURIComponent('userName eq "scim.user77777@idp.example"')}`));
    await measure("SCIM GET /Users?filter=userName sw … count=100", () => scim("GET", `/Users?filter=${encodeURIComponent('userName sw "scim.user7"')}&count=100`));
    await measure("SCIM GET /Users?filter=externalId eq …", () => scim("GET", `/Users?filter=${encodeURIComponent('externalId eq "X4242"')}`));
    await measure("SCIM GET /Users page 500 (startIndex=50000)", () => scim("GET", "/Users?startIndex=50000&count=100"));
    void runs;
  } finally {
    await deps.jobs.stop();
    await close();
    await dropDatabase(serverUrl, SCRATCH);
  }
}
