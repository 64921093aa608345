/**
 * The inventory's list pages over HTTP, as each role sees them: p95 of each list with its
 * filters, reported for the slowest role (a page is only as fast as it is for its worst user).
 */
import { connect } from "@/db/client";
import { DEMO_PEOPLE } from "@/lib/demo/people";
import { loadActiveActorByEmail } from "@/lib/domain/access/load-actor";
import { signIn } from "./app-server";
import type { Section } from "./context";
import type { Figure } from "./figures";
import { load, type LoadResult } from "./http-load";

const ROLES = ["admin", "manager", "app_owner", "employee"] as const;

const LISTS = [
  { id: "identities_first", label: "identities, first page", path: "/identities" },
  { id: "identities_search", label: "identities, non-human + search", path: "/identities?category=non_human&q=svc" },
  { id: "grants_first", label: "grants, first page", path: "/grants" },
  { id: "grants_standing", label: "grants, standing privileged", path: "/grants?kind=standing&privileged=1&status=active" },
  { id: "grants_search", label: "grants, search by holder name", path: "/grants?q=alvarez" },
] as const;

export const inventorySection: Section = async (ctx) => {
  const { db, close } = connect(ctx.url, { max: 1 });
  const people = new Map<string, string>();
  try {
    for (const role of ROLES) {
      const actor = await loadActiveActorByEmail(db, DEMO_PEOPLE.find((p) => p.role === role)!.email);
      if (actor) people.set(role, actor.id);
    }
  } finally {
    await close();
  }
  const app = await ctx.app();
  const cookies = await signIn(ctx.url, [...people.values()]);
  const figures: Figure[] = [];
  for (const list of LISTS) {
    let worst: { role: string; result: LoadResult } | null = null;
    const p95s: string[] = [];
    for (const [role, id] of people) {
      const result = await load({ url: `${app.baseUrl}${list.path}`, connections: 1, amount: Math.max(20, ctx.runs * 4), headers: { cookie: cookies.get(id)! } });
      if (result.errors > 0) throw new Error(`${list.path} as ${role} answered with errors: ${JSON.stringify(result.statuses)}`);
      p95s.push(`${role.replace("_", " ")} ${result.p95.toFixed(0)}`);
      if (!worst || result.p95 > worst.result.p95) worst = { role, result };
    }
    if (!worst) continue;
    figures.push({
      id: `inventory_${list.id}`,
      label: `inventory: ${list.label}, p95 (slowest: ${worst.role.replace("_", " ")})`,
      unit: "ms",
      value: worst.result.p95,
      samples: worst.result.latencies,
      limit: "pkLookupMs",
      target: { on: "value", op: "<=", value: 100 },
      note: `p95 by role (ms): ${p95s.join(", ")}`,
    });
  }
  return figures;
};
