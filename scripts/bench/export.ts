/**
 * Evidence export of a campaign's items (1,000,000 at large) on a scratch data set of review
 * items beside the main one, made once and kept (keyed by rows and generator version). The
 * export runs in a child process of its own, so its peak resident memory is the export's and
 * nothing else's; the limit is PostgreSQL's COPY ... TO STDOUT of the very SELECT the export runs.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { build } from "esbuild";
import postgres from "postgres";
import { connect, type Db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { itemTableQuery } from "@/db/queries/evidence-export";
import { ITEM_TABLES } from "@/db/queries/evidence-export-tables";
import { childProcessEnv } from "@/lib/env";
import { createDatabase, withDatabase } from "@/lib/testing/server";
import type { Section } from "./context";
import { GENERATOR_VERSION } from "./dataset";
import { median, type Figure } from "./figures";
import { copyToRate } from "./limits";

const ROWS = { small: 20_000, medium: 200_000, large: 1_000_000 } as const;

export interface ExportRun {
  seconds: number;
  bytes: number;
  maxRssMb: number;
}

export const exportSection: Section = async (ctx) => {
  const rows = ROWS[ctx.scale];
  const url = await exportDataset(ctx.adminUrl, rows, ctx.log);
  const { db, close } = connect(url, { max: 1 });
  let campaignId: string;
  try {
    campaignId = (await db.execute<{ id: string }>(sql`select id from campaigns where name = 'Bench review'`))[0]!.id;
  } finally {
    await close();
  }
  const items = ITEM_TABLES.find((t) => t.name === "items")!;
  // The limit for each format is PostgreSQL writing exactly that file's rows: CSV records, or
  // the JSON documents it builds itself.
  const raw = postgres(url, { max: 1, onnotice: () => {} });
  const copy = { csv: [] as number[], json: [] as number[] };
  try {
    for (const format of ["csv", "json"] as const) {
      const query = itemTableQuery(items, { kind: "campaign", campaignId }, format).text.replace("$1::uuid", `'${campaignId}'::uuid`);
      for (let run = 0; run < Math.min(ctx.runs, 3); run++) copy[format].push(await copyToRate(raw, query, rows, format === "csv" ? "csv" : "text"));
    }
  } finally {
    await raw.end();
  }
  const figures: Figure[] = [];
  const script = await compileChild();
  for (const format of ["csv", "json"] as const) {
    const runs: ExportRun[] = [];
    for (let run = 0; run < Math.min(ctx.runs, 3); run++) runs.push(await exportInChild(script, url, campaignId, format));
    const rates = runs.map((r) => rows / r.seconds);
    ctx.log(`  items.${format}: ${rates.map((r) => Math.round(r).toLocaleString("en")).join(", ")} rows/s; peak RSS ${runs.map((r) => r.maxRssMb.toFixed(0)).join(", ")} MB`);
    figures.push(
      {
        id: `export_${format}_rate`,
        label: `evidence export, ${rows.toLocaleString("en")} items as ${format.toUpperCase()}`,
        unit: "rows/s",
        value: median(rates),
        samples: rates,
        limit: "copyToRowsPerSecond",
        limitValue: median(copy[format]),
        target: { on: "ratio", op: ">=", value: 0.5 },
        note: `${(median(runs.map((r) => r.bytes)) / 2 ** 20).toFixed(0)} MiB; limit: COPY TO of the export's own SELECT, ${format === "csv" ? "as CSV" : "JSON built by PostgreSQL"}`,
      },
      {
        id: `export_${format}_rss`,
        label: `evidence export, ${rows.toLocaleString("en")} items as ${format.toUpperCase()}, peak RSS`,
        unit: "MB",
        value: median(runs.map((r) => r.maxRssMb)),
        samples: runs.map((r) => r.maxRssMb),
        target: { on: "value", op: "<=", value: 300 },
      },
    );
  }
  return figures;
};

/** The scratch data set, made on first use and kept: marked complete by its name. */
async function exportDataset(adminUrl: string, rows: number, log: (line: string) => void): Promise<string> {
  const name = `accord_bench_export_${rows}_g${GENERATOR_VERSION}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    if ((await admin`select 1 from pg_database where datname = ${name}`).length > 0) {
      const url = withDatabase(adminUrl, name);
      await migrateDatabase(url);
      return url;
    }
    const url = await createDatabase(adminUrl, `${name}_partial`);
    await migrateDatabase(url);
    const { db, close } = connect(url, { max: 2 });
    try {
      log(`  ${await makeData(db, rows)}`);
    } finally {
      await close();
    }
    await admin.unsafe(`alter database "${name}_partial" rename to "${name}"`);
    return withDatabase(adminUrl, name);
  } finally {
    await admin.end();
  }
}

/**
 * export-child.ts compiled to one file, as the production server runs compiled code: under tsx,
 * Node's loader alone peaks at 250–290 MB while loading the modules, before any export.
 */
async function compileChild(): Promise<string> {
  const outfile = path.join("node_modules", ".cache", "accord-bench", "export-child.cjs");
  await build({ entryPoints: [path.join("scripts", "bench", "export-child.ts")], outfile, bundle: true, platform: "node", format: "cjs", target: "node22", logLevel: "warning" });
  return outfile;
}

/** Runs the compiled export-child.ts: one export streamed to a counting sink in a fresh process. */
function exportInChild(script: string, url: string, campaignId: string, format: "csv" | "json"): Promise<ExportRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, campaignId, format], {
      env: childProcessEnv({ DATABASE_URL: url }),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as ExportRun) : reject(new Error(`export child exited ${code}: ${out}`))));
  });
}

async function makeData(db: Db, rows: number): Promise<string> {
  const started = performance.now();
  const people = 10_000;
  const entitlementCount = Math.ceil(rows / people);
  await db.execute(sql`insert into identities (source, kind, type, display_name, email, department, title, status)
    select 'bench', 'human', 'employee', 'Person ' || n, 'p' || n || '@bench.example', 'Dept ' || (n % 40), 'Engineer', 'active' from generate_series(1, ${people}) n`);
  await db.execute(sql`insert into identities (source, kind, type, display_name, email, status) values ('bench', 'human', 'employee', 'Ada Auditor', 'ada@bench.example', 'active')`);
  await db.execute(sql`insert into identity_roles (identity_id, role) select id, 'auditor' from identities where email = 'ada@bench.example'`);
  await db.execute(sql`insert into applications (source, name) values ('bench', 'Bench app')`);
  await db.execute(
    sql`insert into entitlements (application_id, name, privileged) select (select id from applications limit 1), 'role-' || n, n % 3 = 0 from generate_series(1, ${entitlementCount}) n`,
  );
  await db.execute(sql`insert into grants (identity_id, entitlement_id, kind, source, granted_at, justification)
    select i.id, e.id, 'standing', 'import', now() - interval '200 days', 'Bench grant'
    from (select id, row_number() over (order by id) r from identities where source = 'bench' and email like 'p%') i
    cross join entitlements e limit ${rows}`);
  const reviewer = (await db.execute<{ id: string }>(sql`select id from identities where email = 'p1@bench.example'`))[0]!.id;
  const [campaign] = await db.execute<{ id: string }>(sql`insert into campaigns (name, scope, reviewer_rule, status, starts_at, launched_at, created_by_id)
    values ('Bench review', '{}'::jsonb, 'manager', 'active', now(), now(), ${reviewer}) returning id`);
  const campaignId = campaign!.id;
  await db.execute(sql`insert into review_items (campaign_id, grant_id, subject_key, identity_id, entitlement_id, reviewer_id, original_reviewer_id, reviewer_reason,
      status, decision, decided_by_id, decided_at, comment, seconds_spent, bulk, recommendation, recommendation_reason, evidence, snapshot_at)
    select ${campaignId}::uuid, g.id, g.id::text, g.identity_id, g.entitlement_id, ${reviewer}::uuid, ${reviewer}::uuid, 'Manager',
      case when n % 2 = 0 then 'decided' else 'pending' end::review_item_status, case when n % 2 = 0 then 'certify' end::review_decision,
      case when n % 2 = 0 then ${reviewer}::uuid end, case when n % 2 = 0 then now() end, case when n % 2 = 0 then 'Still needed for on-call' end,
      case when n % 2 = 0 then 5 + n % 60 end, n % 10 = 0, 'none', 'Not enough use in the window to recommend either way.',
      jsonb_build_object('identity', jsonb_build_object('id', i.id, 'name', i.display_name, 'email', i.email, 'kind', 'human', 'type', 'employee', 'status', 'active',
          'department', i.department, 'title', i.title, 'manager', 'Person 1'),
        'entitlement', jsonb_build_object('id', e.id, 'name', e.name, 'privileged', e.privileged, 'application', 'Bench app', 'riskLevel', 'low'),
        'grant', jsonb_build_object('kind', 'standing', 'source', 'import', 'grantedAt', g.granted_at, 'justification', g.justification, 'approvalChain', null),
        'usage', jsonb_build_object('windowDays', 90, 'windowStart', now() - interval '90 days', 'usageDays', n % 7, 'sessionCount', 0, 'sessions', '[]'::jsonb),
        'peers', jsonb_build_object('holding', 3, 'total', 9), 'previousDecisions', '[]'::jsonb, 'findings', '[]'::jsonb),
      now()
    from (select g.*, row_number() over () n from grants g) g join identities i on i.id = g.identity_id join entitlements e on e.id = g.entitlement_id`);
  await db.execute(sql`insert into review_decisions (review_item_id, decision, actor_id, comment, seconds_spent, bulk, created_at)
    select id, 'certify', decided_by_id, comment, seconds_spent, bulk, decided_at from review_items where decided_by_id is not null`);
  await db.execute(sql`insert into audit_events (occurred_at, actor_kind, actor_label, action, entity_type, entity_id, after, prev_hash, hash)
    values (now(), 'system', 'bench', 'campaign.launch_started', 'campaign', ${campaignId}, ${JSON.stringify({ expectedItems: rows })}::jsonb, ${"0".repeat(64)}, ${"0".repeat(64)})`);
  await db.execute(sql`vacuum analyze`);
  const [{ size }] = (await db.execute<{ size: string }>(sql`select pg_size_pretty(pg_total_relation_size('review_items')) size`)) as unknown as [{ size: string }];
  return `${rows.toLocaleString("en")} review items (${size}) and ${(rows / 2).toLocaleString("en")} decisions made in ${((performance.now() - started) / 1000).toFixed(0)} s`;
}
