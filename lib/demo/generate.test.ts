import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { COLUMNS, generateOrganisation, type TableName } from "./generate";
import { DEMO_PEOPLE } from "./people";
import { apportion, rngFor, uuidFor } from "./random";

const NOW = new Date("2026-03-01T12:00:00Z");
type Row = Record<string, unknown>;

function digest(seed: number, now = NOW): string {
  const hash = createHash("sha256");
  for (const spec of generateOrganisation({ seed, now, scale: "demo" }).tables) {
    for (const row of spec.rows()) hash.update(`${spec.table}\t${JSON.stringify(row)}\n`);
  }
  return hash.digest("hex");
}

function materialise(seed = 7): Record<TableName, Row[]> {
  const out = {} as Record<TableName, Row[]>;
  for (const spec of generateOrganisation({ seed, now: NOW, scale: "demo" }).tables) out[spec.table] = [...spec.rows()];
  return out;
}

const demo = materialise();
const ms = (value: unknown) => (value as Date).getTime();
const byId = <T extends Row>(rows: T[]) => new Map(rows.map((r) => [r.id as string, r]));
const identities = byId(demo.identities);
const emailOf = (id: unknown) => identities.get(id as string)?.email;
const idOf = (email: string) => demo.identities.find((i) => i.email === email)!.id as string;

describe("generateOrganisation determinism", () => {
  it("gives identical rows, uuids included, for the same seed and now", () => {
    expect(digest(11)).toBe(digest(11));
  });

  it("gives different rows for a different seed or a different now", () => {
    const base = digest(11);
    expect(digest(12)).not.toBe(base);
    expect(digest(11, new Date(NOW.getTime() + 86_400_000))).not.toBe(base);
  });

  it("uuidFor is unique per (a, b) and v4-shaped", () => {
    const seen = new Set<string>();
    for (let a = 0; a < 300; a++) for (let b = 0; b < 30; b++) seen.add(uuidFor(1, 99, a, b));
    expect(seen.size).toBe(9_000);
    for (const id of [...seen].slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("apportion splits a total exactly by weight", () => {
    const r = rngFor(3, 4);
    const weights = Array.from({ length: 1_000 }, () => (r.chance(0.2) ? 0 : r.pareto(1.5, 50)));
    const starts = apportion(123_457, weights);
    expect(starts[1_000]).toBe(123_457);
    weights.forEach((w, i) => w === 0 && expect(starts[i + 1]).toBe(starts[i]));
  });
});

describe("demo organisation shape", () => {
  it("rows carry exactly the table's columns", () => {
    for (const [table, rows] of Object.entries(demo) as [TableName, Row[]][]) {
      for (const row of rows) expect(Object.keys(row).sort()).toEqual([...COLUMNS[table]].sort());
    }
  });

  it("has unique ids, emails and evidence source ids", () => {
    for (const table of ["identities", "applications", "entitlements", "accounts", "grants", "access_requests", "approval_steps", "activations", "credentials"] as const) {
      expect(new Set(demo[table].map((r) => r.id)).size, table).toBe(demo[table].length);
    }
    const emails = demo.identities.map((i) => i.email).filter(Boolean) as string[];
    expect(new Set(emails).size).toBe(emails.length);
    for (const email of emails) expect(email).toBe(email.toLowerCase());
    expect(new Set(demo.privileged_sessions.map((s) => `${s.source}/${s.source_session_id}`)).size).toBe(demo.privileged_sessions.length);
    expect(new Set(demo.usage_events.map((e) => `${e.source}/${e.source_event_id}`)).size).toBe(demo.usage_events.length);
    expect(new Set(demo.accounts.map((a) => `${a.application_id}/${(a.username as string).toLowerCase()}`)).size).toBe(demo.accounts.length);
  });

  it("looks like a company: people, contractors, third parties, leavers, NHIs, applications", () => {
    const count = (f: (r: Row) => boolean) => demo.identities.filter(f).length;
    expect(count((i) => i.kind === "human")).toBeGreaterThanOrEqual(280);
    expect(count((i) => i.type === "contractor")).toBeGreaterThanOrEqual(20);
    expect(count((i) => i.type === "third_party")).toBeGreaterThanOrEqual(10);
    expect(count((i) => i.status === "leaver")).toBeGreaterThanOrEqual(5);
    expect(count((i) => i.status === "suspended")).toBeGreaterThanOrEqual(2);
    expect(count((i) => i.kind === "non_human")).toBeGreaterThanOrEqual(40);
    expect(demo.applications.length).toBeGreaterThanOrEqual(20);
    for (const app of demo.applications) {
      const owners = demo.application_owners.filter((o) => o.application_id === app.id).length;
      const ents = demo.entitlements.filter((e) => e.application_id === app.id).length;
      expect(owners, `${app.name} owners`).toBeGreaterThanOrEqual(1);
      expect(owners).toBeLessThanOrEqual(2);
      expect(ents, `${app.name} entitlements`).toBeGreaterThanOrEqual(3);
      expect(ents).toBeLessThanOrEqual(8);
    }
    expect(demo.sod_rules.length).toBeGreaterThanOrEqual(2);
    const ruleSizes = demo.sod_rules.map((r) => demo.sod_rule_entitlements.filter((m) => m.rule_id === r.id).length);
    expect(Math.min(...ruleSizes)).toBeGreaterThanOrEqual(2);
    // At least one rule is a set larger than a pair.
    expect(Math.max(...ruleSizes)).toBeGreaterThanOrEqual(3);
    expect(demo.entitlements.some((e) => e.break_glass)).toBe(true);
  });

  it("keeps identity kind and type consistent; non-human identities have no email", () => {
    const nonHuman = ["service_account", "api_key", "token", "workload", "ai_agent"];
    for (const i of demo.identities) {
      expect(i.kind === "non_human", String(i.display_name)).toBe(nonHuman.includes(i.type as string));
      if (i.kind === "non_human") expect(i.email).toBeNull();
      if (i.type === "third_party") expect(i.email as string).not.toMatch(/@accord\.example$/);
      if (i.type === "third_party") expect(i.organization).toBeTruthy();
    }
  });

  it("lists managers and owners before the people they manage", () => {
    const position = new Map(demo.identities.map((i, k) => [i.id, k]));
    demo.identities.forEach((i, k) => {
      if (i.manager_id) expect(position.get(i.manager_id)!).toBeLessThan(k);
      if (i.owner_id) expect(position.get(i.owner_id)!).toBeLessThan(k);
    });
  });

  it("has the fixed demo people with their roles", () => {
    for (const person of DEMO_PEOPLE) {
      const row = demo.identities.find((i) => i.email === person.email);
      expect(row, person.email).toMatchObject({ kind: "human", type: "employee", status: "active" });
    }
    const maya = idOf("maya.manager@accord.example");
    const reports = demo.identities.filter((i) => i.manager_id === maya).map((i) => i.id);
    expect(reports.length).toBe(8);
    expect(reports).toContain(idOf("erin.employee@accord.example"));
    const privileged = new Set(demo.entitlements.filter((e) => e.privileged).map((e) => e.id));
    const holders = new Set(demo.grants.filter((g) => g.status === "active" && privileged.has(g.entitlement_id)).map((g) => g.identity_id));
    expect(reports.filter((r) => holders.has(r)).length).toBeGreaterThanOrEqual(7);
    const omar = idOf("omar.owner@accord.example");
    const owned = demo.application_owners.filter((o) => o.identity_id === omar).map((o) => demo.applications.find((a) => a.id === o.application_id)!.name);
    expect(owned).toEqual(expect.arrayContaining(["AWS production", "Postgres prod"]));
    expect(demo.identity_roles.map((r) => [emailOf(r.identity_id), r.role])).toEqual(
      expect.arrayContaining([
        ["ada.auditor@accord.example", "auditor"],
        ["alex.admin@accord.example", "admin"],
      ]),
    );
  });
});

describe("demo organisation invariants", () => {
  const grants = byId(demo.grants);
  const activations = byId(demo.activations);

  it("time-bound grants expire; request-sourced grants carry their approval", () => {
    const requests = byId(demo.access_requests);
    for (const g of demo.grants) {
      if (g.kind === "time_bound") expect(g.expires_at).not.toBeNull();
      expect(g.approved_by_id === null || g.approved_by_id !== g.identity_id).toBe(true);
      if (g.source !== "request") continue;
      for (const field of ["requested_by_id", "approved_by_id", "approved_at", "justification", "ticket", "request_id"]) expect(g[field], field).toBeTruthy();
      expect(requests.get(g.request_id as string)).toMatchObject({ status: "fulfilled", beneficiary_id: g.identity_id, entitlement_id: g.entitlement_id });
      const steps = demo.approval_steps.filter((s) => s.request_id === g.request_id);
      expect(steps.map((s) => s.rule)).toEqual(["manager", "app_owner"]);
      expect(steps.at(-1)).toMatchObject({ status: "approved", decided_by_id: g.approved_by_id });
      for (const s of steps) expect(s.approver_id === null || s.approver_id !== g.identity_id).toBe(true);
    }
  });

  it("has standing, time-bound and eligible privilege, and history rows", () => {
    const kinds = new Set(demo.grants.map((g) => `${g.kind}/${g.status}`));
    for (const k of ["standing/active", "time_bound/active", "eligible/active", "standing/revoked", "time_bound/expired"]) expect(kinds).toContain(k);
    expect(new Set(demo.grants.map((g) => g.source))).toEqual(new Set(["request", "import", "scim", "direct"]));
  });

  it("activates only eligible grants, within sane windows", () => {
    for (const a of demo.activations) {
      const g = grants.get(a.grant_id as string)!;
      expect(g.kind).toBe("eligible");
      expect(a.identity_id).toBe(g.identity_id);
      expect(ms(a.ends_at)).toBeGreaterThan(ms(a.starts_at));
      expect(ms(a.starts_at)).toBeGreaterThanOrEqual(ms(g.granted_at));
      expect(ms(a.ends_at) - ms(a.starts_at)).toBeLessThanOrEqual(8 * 3_600_000);
      if (a.break_glass) expect(a.incident_id).toBeTruthy();
    }
  });

  it("records sessions with consistent durations, inside their activation", () => {
    for (const s of demo.privileged_sessions) {
      const duration = (ms(s.ended_at) - ms(s.started_at)) / 1000;
      expect(ms(s.ended_at)).toBeGreaterThanOrEqual(ms(s.started_at));
      expect(s.duration_seconds).toBe(duration);
      expect(ms(s.ended_at)).toBeLessThanOrEqual(NOW.getTime());
      if (s.activation_id) {
        const a = activations.get(s.activation_id as string)!;
        expect(ms(s.started_at)).toBeGreaterThanOrEqual(ms(a.starts_at));
        expect(ms(s.ended_at)).toBeLessThanOrEqual(ms(a.ended_at ?? a.ends_at) + 1000);
      }
      if (s.grant_id && grants.get(s.grant_id as string)!.kind === "eligible") expect(s.activation_id).not.toBeNull();
    }
  });

  it("plants each documented drift case", () => {
    const ent = (app: string, name: string) => {
      const appId = demo.applications.find((a) => a.name === app)!.id;
      return demo.entitlements.find((e) => e.application_id === appId && e.name === name)!.id;
    };
    const sam = idOf("sam.ortiz@accord.example");
    const clusterAdmin = ent("Kubernetes prod cluster", "cluster-admin");
    expect(demo.privileged_sessions.some((s) => s.identity_id === sam && s.entitlement_id === clusterAdmin && s.grant_id === null)).toBe(true);
    expect(demo.grants.some((g) => g.identity_id === sam && g.entitlement_id === clusterAdmin)).toBe(false);
    const kai = demo.grants.find((g) => g.identity_id === idOf("kai.lund@accord.example") && g.kind === "time_bound")!;
    expect(kai).toMatchObject({ status: "active", live_state: "present" });
    expect(ms(kai.expires_at)).toBeLessThan(NOW.getTime());
    const victor = idOf("victor.hale@accord.example");
    expect(demo.identities.find((i) => i.id === victor)!.status).toBe("leaver");
    expect(demo.grants.filter((g) => g.identity_id === victor && g.status === "active").length).toBeGreaterThan(0);
    expect(demo.accounts.filter((a) => a.identity_id === null).length).toBeGreaterThanOrEqual(3);
    const nhis = demo.identities.filter((i) => i.kind === "non_human");
    expect(nhis.filter((i) => i.owner_id === null).length).toBe(2);
    expect(nhis.filter((i) => i.owner_id && identities.get(i.owner_id as string)!.status === "leaver").length).toBeGreaterThanOrEqual(2);
    const priya = idOf("priya.shah@accord.example");
    const held = new Set(demo.grants.filter((g) => g.identity_id === priya && g.status === "active").map((g) => g.entitlement_id));
    expect(held.has(ent("NetSuite", "AP clerk")) && held.has(ent("NetSuite", "AP approver"))).toBe(true);
    // Two of the three: the demo's set conflict, not a pair.
    expect(held.has(ent("NetSuite", "Controller"))).toBe(false);
    const priyaRule = demo.sod_rule_entitlements.filter((m) => m.entitlement_id === ent("NetSuite", "AP clerk")).map((m) => m.rule_id);
    expect(priyaRule).toHaveLength(1);
    expect(demo.sod_rule_entitlements.filter((m) => m.rule_id === priyaRule[0]).length).toBe(3);
    const superuser = demo.grants.find((g) => g.identity_id === idOf("dan.reyes@accord.example") && g.entitlement_id === ent("Postgres prod", "superuser"))!;
    expect(superuser).toMatchObject({ kind: "standing", status: "active" });
    expect(demo.privileged_sessions.some((s) => s.grant_id === superuser.id) || demo.usage_events.some((e) => e.grant_id === superuser.id)).toBe(false);
    expect(demo.activations.some((a) => a.break_glass && a.identity_id === idOf("jo.kim@accord.example") && ms(a.starts_at) > NOW.getTime() - 3 * 86_400_000)).toBe(true);
    const owner = demo.grants.find((g) => g.identity_id === idOf("tomas.novak@accord.example") && g.entitlement_id === ent("GitHub", "Owner"))!;
    expect(owner).toMatchObject({ status: "pending_revocation", live_state: "present" });
    const failed = demo.revocations.find((r) => r.grant_id === owner.id)!;
    expect(failed).toMatchObject({ status: "failed", verified_at: null });
    expect(ms(failed.sla_due_at)).toBeLessThan(NOW.getTime());
    const okta = demo.grants.filter((g) => g.identity_id === idOf("lucia.moreno@accord.example") && g.entitlement_id === ent("Okta admin", "Super administrator"));
    const revoked = okta.find((g) => g.status === "revoked")!;
    const back = okta.find((g) => g.status === "active")!;
    const verified = demo.revocations.find((r) => r.grant_id === revoked.id)!;
    expect(verified).toMatchObject({ status: "verified" });
    expect(back).toMatchObject({ source: "scim", approved_by_id: null });
    expect(ms(back.created_at)).toBeGreaterThan(ms(verified.verified_at));
  });

  it("meets the requested grant and usage-event counts exactly at a custom scale", () => {
    const org = generateOrganisation({ seed: 5, now: NOW, scale: { identities: 1_500, applications: 60, grants: 20_000, usageEvents: 12_000, sessions: 1_500 } });
    const counts = Object.fromEntries(org.tables.filter((t) => ["identities", "applications", "grants", "usage_events"].includes(t.table)).map((t) => [t.table, [...t.rows()].length]));
    expect(counts).toEqual({ identities: 1_500, applications: 60, grants: 20_000, usage_events: 12_000 });
  });
});
