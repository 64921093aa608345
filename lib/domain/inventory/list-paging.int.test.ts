import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listDepartments, listIdentities } from "@/db/queries/identities";
import { uuidList } from "@/db/queries/scope";
import type { GrantFilters } from "@/db/queries/grants";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makeNonHuman, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import type { Actor } from "@/lib/domain/access/actor";
import { scopeOf } from "@/lib/domain/access/scope";
import { browseGrants } from "./grants";
import { getOverview } from "./overview";

/**
 * The lists start from the people and entitlements in scope (or from what a search names) and
 * page with keyset cursors. Paged two or three rows at a time, every list must come out as the
 * rule says, whole and in order: no row twice (a grant reachable as a report's and as owned
 * access), none skipped at a page boundary (grants granted at the same instant).
 */
const deps = testDeps();
type Grant = Awaited<ReturnType<typeof makeGrant>>;
type Person = Awaited<ReturnType<typeof makePerson>>;

let org: Awaited<ReturnType<typeof buildOrg>>;

async function buildOrg() {
  const manager = await makePerson(testDb, { displayName: "Mona Manager", department: "Engineering" });
  const reports = [
    await makePerson(testDb, { displayName: "Rhea Report", managerId: manager.id, department: "Engineering" }),
    await makePerson(testDb, { displayName: "Ravi Report", managerId: manager.id, department: "Engineering" }),
  ];
  const subReport = await makePerson(testDb, { displayName: "Sid Subreport", managerId: reports[0]!.id, department: "Engineering" });
  const nhi = await makeNonHuman(testDb, { ownerId: subReport.id, displayName: "svc-build" });
  const owner = await makePerson(testDb, { displayName: "Otis Owner", department: "IT" });
  const ownersReport = await makePerson(testDb, { displayName: "Orla Ownersreport", managerId: owner.id, department: "IT" });
  const others = [
    await makePerson(testDb, { displayName: "Fay Finance", department: "Finance" }),
    await makePerson(testDb, { displayName: "Lou Legal", department: "Legal" }),
    await makePerson(testDb, { displayName: "Sal Sales", department: "Sales" }),
    await makePerson(testDb, { displayName: "Sam Sales", department: "Sales" }),
  ];
  const admin = await makePerson(testDb, { displayName: "Ada Admin", roles: ["admin"], department: "IT" });
  const ownedApp = await makeApplication(testDb, { ownerIds: [owner.id], name: "Ledger" });
  const otherApp = await makeApplication(testDb, { name: "Wiki" });
  const ledgerAdmin = await makeEntitlement(testDb, { applicationId: ownedApp.id, name: "ledger-admin", privileged: true });
  const ledgerRead = await makeEntitlement(testDb, { applicationId: ownedApp.id, name: "ledger-read" });
  // Owned directly, in an application the owner does not own.
  const wikiAdmin = await makeEntitlement(testDb, { applicationId: otherApp.id, name: "wiki-admin", privileged: true, ownerId: owner.id });
  const wikiRead = await makeEntitlement(testDb, { applicationId: otherApp.id, name: "wiki-read" });
  const holders = [...reports, subReport, nhi, ownersReport, ...others, manager];
  const entitlementsList = [ledgerAdmin, ledgerRead, wikiAdmin, wikiRead];
  const base = Date.parse("2026-01-01T00:00:00Z");
  const grantsMade: Grant[] = [];
  let n = 0;
  for (const [h, holder] of holders.entries()) {
    for (const [e, entitlement] of entitlementsList.entries()) {
      if ((h + e) % 3 === 2) continue;
      n += 1;
      const kind = n % 5 === 0 ? "time_bound" : n % 7 === 0 ? "eligible" : "standing";
      grantsMade.push(
        await makeGrant(testDb, {
          identityId: holder.id,
          entitlementId: entitlement.id,
          kind,
          expiresAt: kind === "time_bound" ? new Date(base + 400 * 86_400_000) : null,
          status: n % 6 === 0 ? "revoked" : "active",
          // Every fourth grant shares its instant with the one before: the cursor must break ties by id.
          grantedAt: new Date(base + Math.floor(n / 4) * 3_600_000 + (n % 4 === 0 ? 0 : (n % 4) * 60_000)),
        }),
      );
    }
  }
  const actors = {
    manager: await actorFor(testDb, manager.id),
    owner: await actorFor(testDb, owner.id),
    report: await actorFor(testDb, reports[0]!.id),
    admin: await actorFor(testDb, admin.id),
  };
  const people: Record<keyof typeof actors, Person[] | "everyone"> = {
    manager: [manager, ...reports, subReport, nhi],
    owner: [owner, ownersReport],
    report: [reports[0]!, subReport, nhi],
    admin: "everyone",
  };
  const owned: Record<keyof typeof actors, string[]> = { manager: [], owner: [ledgerAdmin.id, ledgerRead.id, wikiAdmin.id], report: [], admin: [] };
  return { actors, people, owned, grants: grantsMade, holders, entitlements: entitlementsList, ownedApp, others, ledgerAdmin, wikiAdmin };
}

beforeAll(async () => {
  org = await buildOrg();
});

const roles = ["manager", "owner", "report", "admin"] as const;

/** Ids in the list's order, ordered by PostgreSQL itself. */
async function ordered(table: "grants" | "identities", ids: string[]): Promise<string[]> {
  const order = table === "grants" ? sql`granted_at desc, id desc` : sql`display_name, id`;
  const rows = await testDb.execute<{ id: string }>(sql`select id from ${sql.identifier(table)} where id = any(${uuidList(ids)}) order by ${order}`);
  return rows.map((r) => r.id);
}

function grantVisibleTo(role: (typeof roles)[number], grant: Grant): boolean {
  const people = org.people[role];
  return people === "everyone" || people.some((p) => p.id === grant.identityId) || org.owned[role].includes(grant.entitlementId);
}

async function allGrantPages(actor: Actor, filters: GrantFilters): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await browseGrants(deps, actor, { ...filters, limit: 3, cursor });
    seen.push(...page.rows.map((r) => r.id));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe("grant lists page through exactly what the scope shows", () => {
  const cases: [string, GrantFilters, (g: Grant) => boolean][] = [
    ["no filter", {}, () => true],
    [
      "standing privileged active",
      { kind: "standing", privileged: true, status: "active" },
      (g) => g.kind === "standing" && g.status === "active" && [org.ledgerAdmin.id, org.entitlements[2]!.id].includes(g.entitlementId),
    ],
    ["revoked", { status: "revoked" }, (g) => g.status === "revoked"],
    ["one application", { applicationId: "ownedApp" }, (g) => org.entitlements.slice(0, 2).some((e) => e.id === g.entitlementId)],
    ["search by holder name", { q: "sales" }, (g) => org.others.slice(2).some((p) => p.id === g.identityId)],
    ["search by entitlement name", { q: "wiki-ad" }, (g) => g.entitlementId === org.entitlements[2]!.id],
  ];
  for (const role of roles) {
    for (const [name, filters, matches] of cases) {
      it(`as ${role}: ${name}`, async () => {
        const resolved = filters.applicationId ? { ...filters, applicationId: org.ownedApp.id } : filters;
        const expected = await ordered(
          "grants",
          org.grants.filter((g) => grantVisibleTo(role, g) && matches(g)).map((g) => g.id),
        );
        expect(await allGrantPages(org.actors[role], resolved)).toEqual(expected);
      });
    }
  }
});

async function visibleIdentities(role: (typeof roles)[number]): Promise<string[]> {
  const people = org.people[role];
  if (people === "everyone") {
    const rows = await testDb.execute<{ id: string }>(sql`select id from identities`);
    return rows.map((r) => r.id);
  }
  const holders = org.grants.filter((g) => g.status === "active" && org.owned[role].includes(g.entitlementId)).map((g) => g.identityId);
  return [...new Set([...people.map((p) => p.id), ...holders])];
}

describe("identity lists page through exactly what the scope shows", () => {
  for (const role of roles) {
    it(`as ${role}`, async () => {
      const scope = await scopeOf(testDb, org.actors[role]);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await listIdentities(testDb, { scope, filters: { limit: 2, cursor } });
        seen.push(...page.rows.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(await ordered("identities", await visibleIdentities(role)));
    });
  }

  it("offers the departments of the people in scope and of the owner's holders, and no others", async () => {
    for (const role of ["manager", "owner", "report"] as const) {
      const visible = new Set(await visibleIdentities(role));
      const expected = [...new Set([...org.holders, ...(org.people[role] as Person[])].filter((p) => visible.has(p.id)).map((p) => p.department))].filter((d): d is string => Boolean(d)).sort();
      expect(await listDepartments(testDb, { scope: await scopeOf(testDb, org.actors[role]) })).toEqual(expected);
    }
    expect(await listDepartments(testDb, { scope: await scopeOf(testDb, org.actors.manager) })).toEqual(["Engineering"]);
  });

  it("searches names within the scope", async () => {
    const scope = await scopeOf(testDb, org.actors.manager);
    const page = await listIdentities(testDb, { scope, filters: { q: "report" } });
    expect(page.rows.map((r) => r.displayName)).toEqual(["Ravi Report", "Rhea Report", "Sid Subreport"]);
    const nhis = await listIdentities(testDb, { scope, filters: { category: "non_human", q: "svc" } });
    expect(nhis.rows.map((r) => r.displayName)).toEqual(["svc-build"]);
  });
});

describe("the overview counts what the lists show", () => {
  for (const role of roles) {
    it(`as ${role}`, async () => {
      const overview = await getOverview(deps, org.actors[role]);
      const live = org.grants.filter((g) => grantVisibleTo(role, g) && g.status === "active");
      const privileged = live.filter((g) => [org.ledgerAdmin.id, org.wikiAdmin.id].includes(g.entitlementId));
      expect(overview.grants).toEqual({ active: live.length, privileged: privileged.length, standingPrivileged: privileged.filter((g) => g.kind === "standing").length });
      const visible = await visibleIdentities(role);
      const [kinds] = await testDb.execute<{ non_human: number }>(sql`select count(*) filter (where kind = 'non_human')::int as non_human from identities where id = any(${uuidList(visible)})`);
      expect(overview.identities).toEqual({ total: visible.length, nonHuman: kinds!.non_human, leavers: 0 });
    });
  }
});
