import { sql } from "drizzle-orm";
import { connect } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { cliPrincipal, importFile } from "@/lib/domain/import/batches";
import { csvLine } from "@/lib/domain/import/template";
import { scimCaller, scimToken } from "@/lib/domain/scim/test-client";
import { JobQueue } from "@/lib/jobs/queue";
import type { Deps } from "@/lib/domain/deps";
import { createDatabase, dropDatabase } from "@/lib/testing/server";
import { timeRuns, type Section } from "./context";
import { percentile, type Figure } from "./figures";

const SCRATCH = "accord_bench_data_in";
const ROWS = { small: 10_000, medium: 100_000, large: 100_000 } as const;

/**
 * Getting data in (issue 4), on a scratch database beside the data set: an identities CSV
 * through the importer (all-or-nothing, validated row by row) beside raw COPY FROM, then SCIM
 * list-with-filter calls at that many users, each beside a primary-key lookup.
 */
export const dataInSection: Section = async (ctx) => {
  const url = await createDatabase(ctx.adminUrl, SCRATCH);
  await migrateDatabase(url);
  const { db, close } = connect(url, { max: 4 });
  const deps: Deps = { db, now: () => new Date(), jobs: new JobQueue(url) };
  const figures: Figure[] = [];
  try {
    const rows = ROWS[ctx.scale];
    const parts = [csvLine(["external_id", "source", "type", "display_name", "email", "user_name", "status", "department", "title", "manager_external_id"])];
    for (let i = 0; i < rows; i++) {
      parts.push(csvLine([`E${i}`, "import:bench", "employee", `Person ${i}`, `person${i}@bench.example`, `p${i}`, "active", `Dept ${i % 40}`, "Engineer", i >= 100 ? `E${i % 100}` : ""]));
    }
    const content = Buffer.from(parts.join(""));
    const started = performance.now();
    const result = await importFile(deps, cliPrincipal("bench"), { kind: "identities", filename: "bench.csv", content });
    const seconds = (performance.now() - started) / 1000;
    if (!result.applied) throw new Error("the benchmark's import was not applied");
    figures.push({
      id: "import_identities",
      label: `bulk import, ${rows.toLocaleString("en")}-row identities CSV`,
      unit: "rows/s",
      value: rows / seconds,
      samples: [rows / seconds],
      limit: "copyFromRowsPerSecond",
      note: `${(content.length / 2 ** 20).toFixed(1)} MB in ${seconds.toFixed(1)} s`,
    });

    const token = await scimToken(db, deps, { source: "bench" });
    await db.execute(sql`
      insert into identities (source, kind, type, display_name, user_name, email, status, scim_resource)
      select ${token.identitySource}, 'human', 'employee', 'SCIM user ' || n, 'scim.user' || n || '@idp.example', 'scim.user' || n || '@idp.example', 'active',
        jsonb_build_object('userName', 'scim.user' || n || '@idp.example', 'externalId', 'X' || n, 'active', true)
      from generate_series(1, ${rows}) n`);
    await db.execute(sql`analyze identities`);
    const scim = scimCaller(deps, token.secret);
    const calls = [
      ["SCIM userName eq", `/Users?filter=${encodeURIComponent(`userName eq "scim.user${Math.floor(rows * 0.77)}@idp.example"`)}`],
      ["SCIM userName sw, count=100", `/Users?filter=${encodeURIComponent('userName sw "scim.user7"')}&count=100`],
      ["SCIM externalId eq", `/Users?filter=${encodeURIComponent(`externalId eq "X${Math.floor(rows * 0.42)}"`)}`],
      ["SCIM deep page (startIndex at the middle)", `/Users?startIndex=${rows / 2}&count=100`],
    ] as const;
    for (const [label, path] of calls) {
      const samples = await timeRuns(Math.max(20, ctx.runs * 4), () => scim("GET", path));
      figures.push({
        id: `scim_${label.split(" ")[1]!.toLowerCase()}`,
        label: `${label} (${rows.toLocaleString("en")} users), p95`,
        unit: "ms",
        value: percentile(samples, 0.95),
        samples,
        limit: "pkLookupMs",
      });
    }
    return figures;
  } finally {
    await deps.jobs.stop();
    await close();
    await dropDatabase(ctx.adminUrl, SCRATCH);
  }
};
