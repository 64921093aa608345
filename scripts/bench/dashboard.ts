/**
 * Issue 8's figures: privilege-hours available vs used by application over 180 days (the chart
 * issue 9 targets), as an admin (all grants), a manager and an app owner, on the domain
 * function the page calls; and the whole dashboard page over HTTP, every chart at once.
 */
import { DEMO_PEOPLE } from "@/lib/demo/people";
import { loadActiveActorByEmail } from "@/lib/domain/access/load-actor";
import { containmentByApplication } from "@/lib/domain/metrics/containment";
import { signIn } from "./app-server";
import { timeRuns, withDeps, type Section } from "./context";
import { percentile, type Figure } from "./figures";
import { load } from "./http-load";

const ROLES = ["admin", "manager", "app_owner"] as const;

export const dashboardSection: Section = (ctx) =>
  withDeps(ctx.url, async (deps) => {
    const figures: Figure[] = [];
    const people = new Map<string, string>();
    for (const role of ROLES) {
      const actor = await loadActiveActorByEmail(deps.db, DEMO_PEOPLE.find((p) => p.role === role)!.email);
      if (!actor) continue;
      people.set(role, actor.id);
      // A new actor object each time: its scope is resolved per call, as on a page load.
      const samples = await timeRuns(Math.max(20, ctx.runs * 4), () => containmentByApplication(deps, { ...actor }, { period: "180" }));
      figures.push({
        id: `dashboard_containment_${role}`,
        label: `dashboard: privilege-hours by application, 180 days, as ${role.replace("_", " ")}, p95`,
        unit: "ms",
        value: percentile(samples, 0.95),
        samples,
        limit: "pkLookupMs",
        target: { on: "value", op: "<=", value: 300 },
        note: `p50 ${percentile(samples, 0.5).toFixed(0)} ms`,
      });
    }
    const app = await ctx.app();
    const cookies = await signIn(ctx.url, [...people.values()]);
    for (const [role, id] of people) {
      const page = await load({ url: `${app.baseUrl}/dashboard?period=180`, connections: 1, amount: Math.max(10, ctx.runs * 2), headers: { cookie: cookies.get(id)! } });
      if (page.errors > 0) throw new Error(`dashboard page answered with errors: ${JSON.stringify(page.statuses)}`);
      figures.push({
        id: `dashboard_page_${role}`,
        label: `dashboard page, every chart, 180 days, as ${role.replace("_", " ")}, p95`,
        unit: "ms",
        value: page.p95,
        samples: page.latencies,
        limit: "pkLookupMs",
        note: `p50 ${page.p50.toFixed(0)} ms over HTTP`,
      });
    }
    return figures;
  });
