/**
 * Applications, their owners, entitlements and separation-of-duties rules. The catalogue's
 * real-looking systems come first; at large scale synthetic internal systems follow, with
 * Zipf-falling popularity so a few applications hold most of the grants.
 */
import { CATALOGUE, SOD_RULES, type AppFamily, type Connector, type Risk } from "./catalogue";
import { DEPT_NAMES } from "./generate-people";
import { APP_DOMAINS, APP_ENVIRONMENTS, APP_SYSTEMS, DEPARTMENTS } from "./names";
import { rngFor, uuidFor } from "./random";
import { DAY, S, ST, T, iso, type AppInfo, type EntInfo, type Roster, type Row } from "./model";

const TEMPLATES: readonly [name: string, kind: EntInfo["kind"], risk: Risk, privileged: boolean, weight: number, description: string][] = [
  ["viewer", "role", "low", false, 5, "Read-only access to {app}."],
  ["user", "role", "low", false, 6, "Standard access to {app} for day-to-day work."],
  ["editor", "role", "medium", false, 2, "Create and change records in {app}."],
  ["data-export", "permission", "medium", false, 0.5, "Export data from {app}, which may include customer personal data."],
  ["operator", "role", "high", true, 0.6, "Run operational tasks in {app}: restarts, reprocessing and configuration changes."],
  ["deployer", "role", "high", true, 0.4, "Deploy new versions of {app}."],
  ["db-readwrite", "role", "high", true, 0.3, "Write directly to {app}'s database, bypassing the application's checks."],
  ["admin", "role", "critical", true, 0.2, "Full administrative control of {app}, including who else has access."],
];
const BREAK_GLASS: (typeof TEMPLATES)[number] = ["break-glass", "role", "critical", true, 0.03, "Emergency administrator access to {app} when SSO is unavailable; every use is reviewed."];

export const SLA_HOURS: Record<Risk, number> = { critical: 4, high: 24, medium: 48, low: 72 };
const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

export interface Apps {
  apps: AppInfo[];
  ents: EntInfo[];
  entByName: Map<string, number>;
  sodPartners: Map<number, number[]>;
}

export function buildApps(seed: number, count: number, roster: Roster, fixed: Map<string, number>): Apps {
  const r = rngFor(seed, S.app);
  const apps: AppInfo[] = [];
  const ents: EntInfo[] = [];
  const entByName = new Map<string, number>();
  const managersByDept: number[][] = DEPT_NAMES.map(() => []);
  for (let i = 0; i < roster.humans; i++) {
    if (roster.isManager[i] && roster.status[i] === ST.active && roster.type[i] === T.employee) managersByDept[roster.dept[i]!]!.push(i);
  }
  const pickOwners = (dept: number) => {
    const pool = managersByDept[dept]!;
    const first = pool[r.zipf(pool.length, 0.6)]!;
    const second = pool[r.int(0, pool.length - 1)]!;
    return r.chance(0.4) && second !== first ? [first, second] : [first];
  };
  const pinnedOwners: Record<string, string> = { "AWS production": "omar", "Postgres prod": "omar" };
  const names = new Set<string>();
  const addEntitlement = (app: AppInfo, e: Omit<EntInfo, "index" | "id" | "app" | "owner" | "externalId">) => {
    const index = ents.length;
    const account = 100_000_000_000 + (app.index % 900) * 1_000_003;
    ents.push({
      ...e,
      index,
      id: uuidFor(seed, S.entitlement, index),
      app: app.index,
      owner: app.owners[r.chance(0.8) ? 0 : app.owners.length - 1]!,
      externalId: app.family === "aws" ? `arn:aws:iam::${account}:role/${e.name.replace(/\s+/g, "-")}` : `${slug(app.name)}:${slug(e.name)}`,
    });
    app.entitlements.push(index);
    entByName.set(`${app.name}/${e.name}`, index);
  };

  for (let a = 0; a < count; a++) {
    const affinity = new Float64Array(DEPT_NAMES.length);
    const base = { index: a, id: uuidFor(seed, S.app, a), entitlements: [] as number[], affinity };
    const spec = CATALOGUE[a];
    if (spec) {
      const owner = pinnedOwners[spec.name];
      const app: AppInfo = {
        ...base,
        name: spec.name,
        description: spec.description,
        risk: spec.risk,
        connector: spec.connector,
        family: spec.family,
        popularity: spec.popularity,
        nhi: spec.nhi,
        owners: owner ? [fixed.get(owner)!] : pickOwners(DEPT_NAMES.indexOf(spec.ownerDepartment)),
      };
      DEPT_NAMES.forEach((d, i) => (affinity[i] = spec.affinity[d] ?? spec.affinity["*"] ?? 0.02));
      apps.push(app);
      for (const e of spec.entitlements) {
        addEntitlement(app, {
          name: e.name,
          kind: e.kind,
          description: e.description,
          privileged: e.privileged ?? false,
          risk: e.risk,
          breakGlass: e.breakGlass ?? false,
          maxMinutes: e.maxMinutes ?? (e.privileged ? 480 : null),
          weight: e.weight ?? 1,
        });
      }
      names.add(spec.name);
      continue;
    }
    const k = a - CATALOGUE.length;
    const system = r.pick(APP_SYSTEMS);
    let name = `${r.pick(APP_DOMAINS)} ${system} (${r.pick(APP_ENVIRONMENTS)})`;
    if (names.has(name)) name = name.replace(" (", ` ${k} (`);
    names.add(name);
    const family: AppFamily = /Database|Warehouse|Store/.test(system) ? "db" : system === "Cluster" ? "k8s" : "saas";
    const home = r.int(0, DEPARTMENTS.length - 1);
    const second = r.int(0, DEPARTMENTS.length - 1);
    affinity.fill(0.01);
    affinity[home] = 1;
    affinity[second] = Math.max(affinity[second]!, 0.4);
    const risk = r.weighted([
      ["low", 3],
      ["medium", 4],
      ["high", 2],
      ["critical", 1],
    ] as const);
    const app: AppInfo = {
      ...base,
      name,
      description: `Internal ${system.toLowerCase()} for ${name.split(" ")[0]!.toLowerCase()}, owned by ${DEPT_NAMES[home]}.`,
      risk,
      connector: r.weighted([
        ["scim", 4],
        ["webhook", 3],
        ["manual", 3],
      ] as [Connector, number][]),
      family,
      popularity: 1.5 / (k + 1) ** 0.9,
      nhi: family === "saas" ? 0.3 : 1,
      owners: pickOwners(managersByDept[home]!.length ? home : 0),
    };
    apps.push(app);
    const chosen = TEMPLATES.slice(0, 2).concat(TEMPLATES.slice(2).filter(() => r.chance(0.45)));
    if (r.chance(0.05)) chosen.push(BREAK_GLASS);
    for (const [entName, kind, entRisk, privileged, weight, description] of chosen) {
      addEntitlement(app, {
        name: entName,
        kind,
        description: description.replace("{app}", name),
        privileged,
        risk: entRisk,
        breakGlass: entName === "break-glass",
        maxMinutes: privileged ? (entRisk === "critical" ? 120 : 480) : null,
        weight,
      });
    }
  }

  // Every member of a rule is a partner of every other: holding any two breaks it.
  const sodPartners = new Map<number, number[]>();
  for (const rule of SOD_RULES) {
    const members = rule.members.map((key) => entByName.get(key)!);
    for (const m of members) sodPartners.set(m, [...(sodPartners.get(m) ?? []), ...members.filter((x) => x !== m)]);
  }
  return { apps, ents, entByName, sodPartners };
}

export function* applicationRows(apps: AppInfo[], now: number): Generator<Row> {
  for (const app of apps) {
    const created = iso(now - (3 * 365 - (app.index % 700)) * DAY);
    yield {
      id: app.id,
      source: "demo",
      external_id: `app-${slug(app.name)}`,
      name: app.name,
      description: app.description,
      risk_tier: app.risk,
      connector_kind: app.connector,
      connector_config: {},
      revocation_sla_hours: SLA_HOURS[app.risk],
      credential_rotation_days: app.risk === "critical" ? 30 : 90,
      created_at: created,
      updated_at: created,
    };
  }
}

export function* applicationOwnerRows(seed: number, apps: AppInfo[], now: number): Generator<Row> {
  for (const app of apps) {
    for (const owner of app.owners) {
      yield { application_id: app.id, identity_id: uuidFor(seed, S.identity, owner), created_at: iso(now - (2 * 365 - (app.index % 500)) * DAY) };
    }
  }
}

export function* entitlementRows(seed: number, apps: AppInfo[], ents: EntInfo[], now: number): Generator<Row> {
  for (const e of ents) {
    const app = apps[e.app]!;
    const created = iso(now - (3 * 365 - (app.index % 700)) * DAY);
    yield {
      id: e.id,
      application_id: app.id,
      external_id: e.externalId,
      name: e.name,
      kind: e.kind,
      description: e.description,
      privileged: e.privileged,
      risk_level: e.risk,
      owner_id: uuidFor(seed, S.identity, e.owner),
      break_glass: e.breakGlass,
      allowed_kinds: e.breakGlass ? ["eligible"] : e.privileged ? (e.risk === "critical" ? ["eligible", "time_bound"] : ["eligible", "time_bound", "standing"]) : ["standing", "time_bound"],
      max_duration_minutes: e.maxMinutes,
      requires_ticket: e.privileged,
      approval_chain: ["manager", "app_owner"],
      two_person_rule: true,
      created_at: created,
      updated_at: created,
    };
  }
}

export function* sodRuleRows(seed: number, now: number): Generator<Row> {
  for (const [k, rule] of SOD_RULES.entries()) {
    const at = iso(now - 300 * DAY);
    yield { id: uuidFor(seed, S.sod, k), name: rule.name, description: rule.description, severity: rule.severity, created_at: at, updated_at: at };
  }
}

export function* sodRuleEntitlementRows(seed: number, ents: EntInfo[], entByName: Map<string, number>): Generator<Row> {
  for (const [k, rule] of SOD_RULES.entries()) {
    for (const key of rule.members) yield { rule_id: uuidFor(seed, S.sod, k), entitlement_id: ents[entByName.get(key)!]!.id };
  }
}
