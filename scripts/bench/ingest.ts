/**
 * Usage-event ingest over HTTP through the production build: a Teleport NDJSON file posted to
 * POST /api/v1/events in log-shipper-sized requests with a real token, on a scratch database
 * beside the data set (ingest writes, and the data set stays as generated). Sessions of five
 * events (start, three commands, end) by 2,000 people holding a mix of standing and JIT grants,
 * so matching and linking do real work. The limit is PostgreSQL's raw COPY FROM of the very rows
 * ingest wrote, into the same table with the same indexes.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { connect } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { copyClient } from "@/db/queries/imports";
import type { Deps } from "@/lib/domain/deps";
import { createApiToken } from "@/lib/domain/tokens/api-tokens";
import { JobQueue } from "@/lib/jobs/queue";
import { actorFor, makePerson } from "@/lib/testing/factories";
import { createDatabase, dropDatabase } from "@/lib/testing/server";
import { startApp } from "./app-server";
import type { Section } from "./context";
import { median } from "./figures";

const SCRATCH = "accord_bench_ingest";
const PEOPLE = 2_000;
/** Lines per HTTP request: what a log shipper batches, well under the request size limit. */
const LINES_PER_REQUEST = 50_000;
const EVENTS = { small: 20_000, medium: 200_000, large: 500_000 } as const;
const COLUMNS =
  "source, source_event_id, kind, action, occurred_at, identity_id, account_id, application_id, entitlement_id, grant_id, activation_id, request_id, session_id, account_name, target, failed, used_without_approval, raw";

export const ingestSection: Section = async (ctx) => {
  const events = EVENTS[ctx.scale];
  const url = await createDatabase(ctx.adminUrl, SCRATCH);
  await migrateDatabase(url);
  const { db, close } = connect(url, { max: 4 });
  const deps: Deps = { db, now: () => new Date(), jobs: new JobQueue(url) };
  const dir = await mkdtemp(path.join(os.tmpdir(), "accord-bench-ingest-"));
  const app = await startApp(url, { port: ctx.sparePort(1) });
  try {
    const appId = await population(db);
    const file = path.join(dir, "teleport.ndjson");
    await writeEvents(file, events);
    const admin = await actorFor(db, (await makePerson(db, { roles: ["admin"] })).id);
    const { secret } = await createApiToken(deps, admin, { name: "bench", scopes: ["events:write"], source: "bench-http" });
    const rowsFile = path.join(dir, "usage_events.copy");

    const http: number[] = [];
    const copy: number[] = [];
    for (let run = 0; run < Math.min(ctx.runs, 3); run++) {
      await db.execute(sql`truncate usage_events, privileged_sessions`);
      let started = performance.now();
      for await (const body of requestBodies(file)) {
        const response = await fetch(`${app.baseUrl}/api/v1/events?format=teleport&application=${appId}`, {
          method: "POST",
          body,
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/x-ndjson" },
        });
        const result = (await response.json()) as { accepted: number; rejected: number };
        if (response.status !== 200 || result.rejected) throw new Error(`HTTP ${response.status}: ${JSON.stringify(result).slice(0, 300)}`);
      }
      http.push(events / ((performance.now() - started) / 1000));

      // The rows as ingest wrote them, loaded again by PostgreSQL alone.
      const raw = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await pipeline(await raw.unsafe(`copy (select ${COLUMNS} from usage_events) to stdout`).readable(), createWriteStream(rowsFile));
      } finally {
        await raw.end();
      }
      await db.execute(sql`truncate usage_events, privileged_sessions`);
      started = performance.now();
      await db.transaction(async (tx) => {
        const writable = await copyClient(tx).unsafe(`copy usage_events (${COLUMNS}) from stdin`).writable();
        await pipeline(createReadStream(rowsFile), writable);
      });
      copy.push(events / ((performance.now() - started) / 1000));
      ctx.log(`  ingest run ${run + 1}: ${Math.round(http.at(-1)!).toLocaleString("en")} events/s over HTTP, raw COPY FROM ${Math.round(copy.at(-1)!).toLocaleString("en")} rows/s`);
    }
    return [
      {
        id: "ingest_http",
        label: `usage-event ingest over HTTP (${events.toLocaleString("en")} Teleport events)`,
        unit: "rows/s",
        value: median(http),
        samples: http,
        limit: "copyFromRowsPerSecond",
        limitValue: median(copy),
        target: { on: "ratio", op: ">=", value: 0.25 },
        note: "limit: raw COPY FROM of the same rows into the same table",
      },
    ];
  } finally {
    await app.stop();
    await deps.jobs.stop();
    await close();
    await rm(dir, { recursive: true, force: true });
    await dropDatabase(ctx.adminUrl, SCRATCH);
  }
};

/** 2,000 people with accounts in one application: half hold standing root, half JIT root with a window over the whole bench period. */
async function population(db: import("@/db/client").Db): Promise<string> {
  const [app] = await db.execute<{ id: string }>(sql`insert into applications (source, name) values ('bench', 'Bench bastion') returning id`);
  const [ent] = await db.execute<{ id: string }>(sql`insert into entitlements (application_id, name, privileged) values (${app!.id}, 'root', true) returning id`);
  await db.execute(sql`
    with people as (
      insert into identities (source, external_id, kind, type, display_name, email)
      select 'bench', 'p' || n, 'human', 'employee', 'Bench person ' || n, 'p' || n || '@bench.example' from generate_series(1, ${PEOPLE}) n
      returning id, external_id
    ), accts as (
      insert into accounts (application_id, identity_id, username) select ${app!.id}, id, external_id from people returning identity_id
    ), g as (
      insert into grants (identity_id, entitlement_id, kind, source, granted_at)
      select p.id, ${ent!.id}, case when substr(p.external_id, 2)::int % 2 = 0 then 'standing' else 'eligible' end::grant_kind, 'request', '2024-01-01'
      from people p returning id, identity_id, kind
    )
    insert into activations (grant_id, identity_id, status, starts_at, ends_at, justification)
    select id, identity_id, 'ended', '2025-01-01', '2025-01-01'::timestamptz + interval '100 days', 'bench' from g where kind = 'eligible'`);
  return app!.id;
}

/** Teleport audit events as a cluster writes them: per session a start, three commands and an end. */
async function writeEvents(file: string, events: number) {
  function* lines() {
    const base = Date.parse("2025-01-02T00:00:00Z");
    for (let i = 0, s = 0; i < events; s++) {
      const user = `p${(s % PEOPLE) + 1}`;
      const sid = `00000000-0000-4000-8000-${s.toString(16).padStart(12, "0")}`;
      const t0 = base + s * 7_000;
      const common = `"sid":"${sid}","user":"${user}","login":"root","server_id":"srv-${s % 97}","namespace":"default","cluster_name":"bench"`;
      const parts = [
        `{"event":"session.start","code":"T2000I","uid":"${sid}-0","time":"${new Date(t0).toISOString()}",${common},"server_hostname":"node-${s % 97}","addr.remote":"10.0.${s % 250}.1:51234","size":"80:25"}`,
        ...[1, 2, 3].map(
          (k) =>
            `{"event":"session.command","code":"T4000I","uid":"${sid}-${k}","time":"${new Date(t0 + k * 1000).toISOString()}",${common},"program":"ls","argv":["-la"],"path":"/bin/ls","return_code":0,"pid":${1000 + k}}`,
        ),
        `{"event":"session.end","code":"T2004I","uid":"${sid}-4","time":"${new Date(t0 + 5000).toISOString()}",${common},"server_hostname":"node-${s % 97}","session_start":"${new Date(t0).toISOString()}","session_stop":"${new Date(t0 + 5000).toISOString()}","participants":["${user}"],"interactive":true}`,
      ];
      for (const p of parts) {
        if (i++ >= events) return;
        yield `${p}\n`;
      }
    }
  }
  await pipeline(Readable.from(lines()), createWriteStream(file));
}

/** The file cut into request bodies of LINES_PER_REQUEST lines, each streamed from disk. */
async function* requestBodies(file: string): AsyncGenerator<string> {
  let body: string[] = [];
  let pending = "";
  for await (const chunk of createReadStream(file, { encoding: "utf8" })) {
    const parts = (pending + chunk).split("\n");
    pending = parts.pop()!;
    for (const line of parts) {
      body.push(line);
      if (body.length === LINES_PER_REQUEST) {
        yield body.join("\n");
        body = [];
      }
    }
  }
  if (pending) body.push(pending);
  if (body.length) yield body.join("\n");
}
