/**
 * Scale-out on one machine: the same browsing load against one app instance, then split across
 * two (as a load balancer would) against the same database. Both instances run the job workers
 * during the two-instance run, and the per-minute schedule (access expiry) must have fired once
 * per minute across both, not once per instance.
 */
import postgres from "postgres";
import { connect } from "@/db/client";
import { DEMO_PEOPLE } from "@/lib/demo/people";
import { loadActiveActorByEmail } from "@/lib/domain/access/load-actor";
import { QUEUES } from "@/lib/jobs/queue";
import { signIn, startApp, type AppServer } from "./app-server";
import type { BenchContext, Section } from "./context";
import { percentile, type Figure } from "./figures";
import { load, type LoadResult } from "./http-load";

const PATHS = ["/identities", "/grants", "/grants?kind=standing&privileged=1&status=active", "/identities?category=non_human", "/"];
const CONNECTIONS = 20;
/** Long enough for the per-minute schedule to fire at least once during the two-instance run. */
const SECONDS = 70;

export const scaleOutSection: Section = async (ctx) => {
  const cookies = await browsers(ctx);
  const one = await ctx.app();
  const single = await browse([one], cookies);
  ctx.log(`  one instance: ${single.requestsPerSecond.toFixed(0)} req/s, p95 ${single.p95.toFixed(0)} ms, ${single.errors} errors`);

  // Long schedules would start hour-long work in the window: only the frequent ones run here.
  const far = { ACCORD_FINDINGS_CRON: "0 0 1 1 *", ACCORD_CHECKPOINT_CRON: "0 0 1 1 *" };
  const pair = await Promise.all([ctx.sparePort(2), ctx.sparePort(3)].map((port) => startApp(ctx.url, { port, workers: true, env: far })));
  const started = new Date();
  let both: LoadResult;
  try {
    both = await browse(pair, cookies);
  } finally {
    await Promise.all(pair.map((a) => a.stop()));
  }
  const ended = new Date();
  const jobs = await scheduledJobs(ctx.url, started, ended);
  // pg-boss sends a minute's job when its clock next looks (every 30 s or so), so a job can land
  // in the next minute; one schedule firing per instance would double the count instead.
  const boundaries = Math.floor(ended.getTime() / 60_000) - Math.floor(started.getTime() / 60_000);
  const extra = Math.max(0, jobs - (boundaries + 1));
  ctx.log(
    `  two instances: ${both.requestsPerSecond.toFixed(0)} req/s, p95 ${both.p95.toFixed(0)} ms, ${both.errors} errors; per-minute schedule: ${jobs} job(s) for ${boundaries} minute boundary(ies)`,
  );

  return [
    {
      id: "scale_out_one",
      label: `browsing, ${CONNECTIONS} connections, one app instance`,
      unit: "req/s",
      value: single.requestsPerSecond,
      samples: [single.requestsPerSecond],
      errors: single.errors,
      note: `p95 ${single.p95.toFixed(0)} ms`,
    },
    {
      id: "scale_out_two",
      label: `browsing, ${CONNECTIONS} connections, two app instances`,
      unit: "req/s",
      value: both.requestsPerSecond,
      samples: [both.requestsPerSecond],
      errors: both.errors + extra + (jobs === 0 ? 1 : 0),
      target: { on: "value", op: ">=", value: single.requestsPerSecond },
      note: `p95 ${both.p95.toFixed(0)} ms; ${(both.requestsPerSecond / single.requestsPerSecond).toFixed(2)}× one instance; per-minute schedule sent ${jobs} job(s) across both instances for ${boundaries} minute boundary(ies) in the run`,
    },
  ] satisfies Figure[];
};

/** An admin and a manager, signed in, browsing the inventory's lists. */
async function browsers(ctx: BenchContext): Promise<string[]> {
  const { db, close } = connect(ctx.url, { max: 1 });
  try {
    const ids: string[] = [];
    for (const role of ["admin", "manager"]) {
      const actor = await loadActiveActorByEmail(db, DEMO_PEOPLE.find((p) => p.role === role)!.email);
      if (actor) ids.push(actor.id);
    }
    return [...(await signIn(ctx.url, ids)).values()];
  } finally {
    await close();
  }
}

/** The load split evenly across the instances, as a round-robin load balancer would. */
async function browse(instances: AppServer[], cookies: string[]): Promise<LoadResult> {
  const results = await Promise.all(
    instances.map((app, i) => {
      let next = i;
      return load({
        url: app.baseUrl,
        connections: CONNECTIONS / instances.length,
        duration: SECONDS,
        setupClient: (client) => {
          const cookie = cookies[next++ % cookies.length]!;
          client.setRequests(PATHS.map((path) => ({ method: "GET", path, headers: { cookie } })));
        },
      });
    }),
  );
  const latencies = results.flatMap((r) => r.latencies);
  return {
    requests: latencies.length,
    errors: results.reduce((n, r) => n + r.errors, 0),
    requestsPerSecond: results.reduce((n, r) => n + r.requestsPerSecond, 0),
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    latencies,
    statuses: Object.assign({}, ...results.map((r) => r.statuses)),
  };
}

/** How many access-expiry jobs pg-boss created in the window, whichever instance sent them. */
async function scheduledJobs(url: string, from: Date, to: Date): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ jobs: number }[]>`
      select count(*)::int as jobs from pgboss.job where name = ${QUEUES.accessExpiry} and created_on >= ${from} and created_on < ${to}`;
    return row?.jobs ?? 0;
  } finally {
    await sql.end();
  }
}
