/**
 * Performance figures, printed, never asserted in a test: the inventory (lists, search, detail
 * pages) as each role sees it, measured on the domain functions the pages call; and getting data
 * in (bulk import, SCIM), on a scratch database created beside DATABASE_URL and dropped after.
 *
 *   DATABASE_URL=postgres://…/accord_large npm run bench -- [--runs 20] [--only inventory|data-in|campaigns|revocations|ingest|findings] [--events 100000]
 *
 * Generate a large organisation first: npx tsx scripts/generate-data.ts --scale large
 */
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { connect } from "@/db/client";
import { databaseUrl } from "@/lib/env";
import { DEMO_PEOPLE } from "@/lib/demo/people";
import { loadActiveActorByEmail } from "@/lib/domain/access/load-actor";
import type { Actor } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import { getApplicationProfile } from "@/lib/domain/inventory/applications";
import { browseGrants, getGrantStory } from "@/lib/domain/inventory/grants";
import { browseIdentities, getIdentityProfile } from "@/lib/domain/inventory/identities";
import { getOverview } from "@/lib/domain/inventory/overview";
import { JobQueue } from "@/lib/jobs/queue";
import { benchCampaigns } from "./bench-campaigns";
import { benchDashboard } from "./bench-dashboard";
import { benchDataIn } from "./bench-data-in";
import { benchExport } from "./bench-export";
import { benchFindings } from "./bench-findings";
import { benchIngest } from "./bench-ingest";
import { benchRevocations } from "./bench-revocations";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "20" }, only: { type: "string" }, events: { type: "string", default: "100000" }, keep: { type: "boolean", default: false } } });
const runs = Number(args.runs);

async function measure(name: string, fn: () => Promise<unknown>) {
  await fn(); // warm the cache and the plan
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  console.log(`${name.padEnd(58)} p50 ${pct(0.5).toFixed(1).padStart(7)} ms   p95 ${pct(0.95).toFixed(1).padStart(7)} ms`);
}

const wants = (section: string) => !args.only || args.only === section;

async function main() {
  if (wants("inventory")) await benchInventory();
  if (wants("data-in")) {
    console.log("\n— getting data in");
    await benchDataIn(databaseUrl(), runs, measure);
  }
  if (wants("ingest")) {
    console.log("\n— evidence ingest");
    await benchIngest(databaseUrl(), Number(args.events));
  }
  if (wants("campaigns")) {
    console.log("\n— campaigns");
    await benchCampaigns(databaseUrl(), measure);
  }
  if (wants("dashboard")) {
    console.log("\n— dashboard");
    await benchDashboard(databaseUrl(), measure);
  }
  if (wants("findings")) {
    console.log("\n— drift findings");
    await benchFindings(databaseUrl(), measure);
  }
  if (wants("export")) {
    console.log("\n— evidence export (1,000,000 review items, scratch database)");
    // --keep: leave the scratch database (1.6 GB) for the next run instead of making it again.
    await benchExport(databaseUrl(), { keep: args.keep });
  }
  if (wants("revocations")) {
    console.log("\n— revocations against the loopback SCIM 2.0 server");
    await benchRevocations(databaseUrl(), { count: 1000, concurrency: [1, 4] });
  }
}

async function benchInventory() {
  const { db, close } = connect(databaseUrl(), { max: 4 });
  const deps: Deps = { db, now: () => new Date(), jobs: new JobQueue(databaseUrl()) };
  const [counts] = await db.execute<{ identities: number; grants: number; sessions: number }>(
    sql`select (select count(*) from identities)::int as identities, (select count(*) from grants)::int as grants, (select count(*) from privileged_sessions)::int as sessions`,
  );
  console.log(`Inventory on ${counts!.identities.toLocaleString("en")} identities, ${counts!.grants.toLocaleString("en")} grants, ${counts!.sessions.toLocaleString("en")} sessions; ${runs} runs each\n`);
  const actors = new Map<string, Actor>();
  for (const p of DEMO_PEOPLE) actors.set(p.role, (await loadActiveActorByEmail(db, p.email))!);
  const [sample] = await db.execute<{ identity_id: string; grant_id: string; application_id: string }>(sql`
    select g.identity_id, g.id as grant_id, e.application_id from grants g join entitlements e on e.id = g.entitlement_id
    where g.identity_id = (select identity_id from grants group by identity_id order by count(*) desc limit 1) limit 1`);

  for (const role of ["admin", "manager", "app_owner", "employee"]) {
    const actor = actors.get(role)!;
    console.log(`— as ${role} (${actor.email})`);
    const first = await browseIdentities(deps, actor, {});
    await measure("identities, first page", () => browseIdentities(deps, actor, {}));
    if (first.nextCursor) await measure("identities, next page (keyset)", () => browseIdentities(deps, actor, { cursor: first.nextCursor! }));
    await measure("identities, non-human + search", () => browseIdentities(deps, actor, { category: "non_human", q: "svc" }));
    const grants = await browseGrants(deps, actor, {});
    await measure("grants, first page", () => browseGrants(deps, actor, {}));
    if (grants.nextCursor) await measure("grants, next page (keyset)", () => browseGrants(deps, actor, { cursor: grants.nextCursor }));
    await measure("grants, standing privileged", () => browseGrants(deps, actor, { kind: "standing", privileged: true, status: "active" }));
    await measure("grants, search by holder name", () => browseGrants(deps, actor, { q: "alvarez" }));
    await measure("overview counts", () => getOverview(deps, actor));
    if (role === "admin") {
      await measure("identity page (busiest holder)", () => getIdentityProfile(deps, actor, sample!.identity_id));
      await measure("application page with holders", () => getApplicationProfile(deps, actor, sample!.application_id, {}));
      await measure("grant page (full story)", () => getGrantStory(deps, actor, sample!.grant_id));
    }
  }
  await close();
}

void main();
