import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import { connect, type Db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { itemTableQuery } from "@/db/queries/evidence-export";
import { ITEM_TABLES } from "@/db/queries/evidence-export-tables";
import { JobQueue } from "@/lib/jobs/queue";
import type { Actor } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import { openExport } from "@/lib/domain/evidence-export/open-export";
import { exportRequestSchema, startExport } from "@/lib/domain/evidence-export/start-export";
import { createDatabase, dropDatabase, withDatabase } from "@/lib/testing/server";

const SCRATCH = "accord_bench_export";
const MiB = 2 ** 20;

/** Samples the process's resident memory while `fn` runs; returns the peak. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peak: number; before: number }> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  try {
    const result = await fn();
    return { result, peak: Math.max(peak, process.memoryUsage().rss), before };
  } finally {
    clearInterval(timer);
  }
}

/** A sink that counts bytes and drops them, as a network peer reading at full speed would. */
function counter() {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done();
    },
  });
  return { sink, bytes: () => bytes };
}

/**
 * Export of 1,000,000 review items, on a scratch database beside DATABASE_URL: the items table
 * as CSV through the export path (server cursor, csv-stringify, progress, hashing) beside
 * PostgreSQL's own COPY ... TO STDOUT of the same SELECT, the ratio, and peak RSS; then the same
 * table as JSON and a whole bundle (every table as CSV and JSON, zipped, signed).
 */
export async function benchExport(serverUrl: string, options: { rows?: number; keep?: boolean } = {}) {
  const rows = options.rows ?? 1_000_000;
  // --keep leaves the scratch database for the next run, which then skips making the data.
  const kept = options.keep ? await keptDatabase(serverUrl, rows) : null;
  const url = kept ?? (await createDatabase(serverUrl, SCRATCH));
  if (!kept) await migrateDatabase(url);
  const { db, close } = connect(url, { max: 4 });
  const deps: Deps = { db, now: () => new Date(), jobs: new JobQueue(url) };
  try {
    if (!kept) await makeData(db, rows);
    await measureExports(db, deps, rows);
  } finally {
    await close();
    if (!options.keep) await dropDatabase(serverUrl, SCRATCH);
  }
}

async function keptDatabase(serverUrl: string, rows: number): Promise<string | null> {
  const url = withDatabase(serverUrl, SCRATCH);
  const probe = connect(url, { max: 1 });
  try {
    const [row] = await probe.db.execute<{ n: number }>(sql`select count(*)::int n from review_items`);
    return row?.n === rows ? url : null;
  } catch {
    return null;
  } finally {
    await probe.close();
  }
}

async function makeData(db: Db, rows: number) {
  const started = performance.now();
  const people = 10_000;
  const entitlementCount = Math.ceil(rows / people);
  await db.execute(sql`insert into identities (source, kind, type, display_name, email, department, title, status)
    select 'bench', 'human', 'employee', 'Person ' || n, 'p' || n || '@bench.example', 'Dept ' || (n % 40), 'Engineer', 'active' from generate_series(1, ${people}) n`);
  await db.execute(sql`insert into identities (source, kind, type, display_name, email, status) values ('bench', 'human', 'employee', 'Ada Auditor', 'ada@bench.example', 'active')`);
  await db.execute(sql`insert into identity_roles (identity_id, role) select id, 'auditor' from identities where email = 'ada@bench.example'`);
  await db.execute(sql`insert into applications (source, name) values ('bench', 'Bench app')`);
  await db.execute(sql`insert into entitlements (application_id, name, privileged) select (select id from applications limit 1), 'role-' || n, n % 3 = 0 from generate_series(1, ${entitlementCount}) n`);
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
  console.log(`${rows.toLocaleString("en")} review items (${size}) and ${(rows / 2).toLocaleString("en")} decisions made in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

async function measureExports(db: Db, deps: Deps, rows: number) {
  const campaignId = (await db.execute<{ id: string }>(sql`select id from campaigns where name = 'Bench review'`))[0]!.id;

  const ada = (await db.execute<{ id: string }>(sql`select id from identities where email = 'ada@bench.example'`))[0]!.id;
  const actor: Actor = { id: ada, displayName: "Ada Auditor", email: "ada@bench.example", roles: ["auditor"], isManager: false, isAppOwner: false, isNhiOwner: false };

  // PostgreSQL's own COPY of the very SELECT the export runs: the floor for streaming these rows.
  const items = ITEM_TABLES.find((t) => t.name === "items")!;
  const query = itemTableQuery(items, { kind: "campaign", campaignId });
  const copyText = `copy (${query.text.replace("$1::uuid", `'${campaignId}'::uuid`)}) to stdout with (format csv, header)`;
  const client = (db as unknown as { $client: { unsafe(q: string): { readable(): Promise<NodeJS.ReadableStream> } } }).$client;
  const copy = counter();
  const copyStart = performance.now();
  const copyRun = await peakRss(async () => pipeline((await client.unsafe(copyText).readable()) as unknown as NodeJS.ReadableStream, copy.sink));
  const copySeconds = (performance.now() - copyStart) / 1000;
  const copyRate = rows / copySeconds;
  console.log(`${"COPY (items SELECT) TO STDOUT, csv".padEnd(58)} ${copySeconds.toFixed(1).padStart(6)} s  ${Math.round(copyRate).toLocaleString("en").padStart(9)} rows/s  ${(copy.bytes() / MiB).toFixed(0)} MiB  peak RSS ${Math.round(copyRun.peak / MiB)} MiB`);

  const exportOnce = async (label: string, request: Record<string, unknown>, expectedRows: number | null) => {
    const sink = counter();
    const t0 = performance.now();
    const run = await peakRss(async () => {
      const { exportId } = await startExport(deps, actor, exportRequestSchema.parse(request));
      const opened = await openExport(deps, actor, { exportId });
      await pipeline(opened.body, sink.sink);
      return opened.done;
    });
    const seconds = (performance.now() - t0) / 1000;
    const rate = expectedRows ? expectedRows / seconds : null;
    console.log(
      `${label.padEnd(58)} ${seconds.toFixed(1).padStart(6)} s  ${rate ? Math.round(rate).toLocaleString("en").padStart(9) : "".padStart(9)} rows/s  ${(sink.bytes() / MiB).toFixed(0)} MiB  peak RSS ${Math.round(run.peak / MiB)} MiB (${Math.round(run.before / MiB)} before)${rate ? `  ratio to COPY ${(rate / copyRate).toFixed(2)}` : ""}  ${run.result}`,
    );
  };
  await exportOnce("export items.csv (cursor + csv-stringify)", { scope: "campaign", campaignId, format: "csv", table: "items" }, rows);
  await exportOnce("export items.json (cursor, rows as JSON from PostgreSQL)", { scope: "campaign", campaignId, format: "json", table: "items" }, rows);
  await exportOnce("export bundle (7 tables × CSV + JSON, zip, signed)", { scope: "campaign", campaignId, format: "bundle" }, null);
}
