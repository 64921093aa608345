import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listDepartments, listIdentities } from "@/db/queries/identities";
import { MANY_OWNED_GRANTS } from "@/db/queries/scope";
import { actorFor, makeApplication, makeEntitlement, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { scopeOf } from "@/lib/domain/access/scope";
import { browseGrants } from "./grants";
import { getOverview } from "./overview";

/**
 * An owner whose application more than MANY_OWNED_GRANTS people hold: the identity list then
 * meets the holders walking identities in display order instead of fetching them, the
 * department filter offers every department, and a search naming more than 5,000 people is
 * matched in SQL instead of resolved to a list of ids.
 */
const deps = testDeps();
const HOLDERS = MANY_OWNED_GRANTS + 1;
let fixture: Awaited<ReturnType<typeof build>>;

async function build() {
  const owner = await makePerson(testDb, { displayName: "Olive Owner", department: "IT" });
  const outsider = await makePerson(testDb, { displayName: "Lena Legal", department: "Legal" });
  const admin = await makePerson(testDb, { displayName: "Ada Admin", roles: ["admin"], department: "IT" });
  const app = await makeApplication(testDb, { ownerIds: [owner.id], name: "Everyone's app" });
  const entitlement = await makeEntitlement(testDb, { applicationId: app.id, name: "everyone-read" });
  await testDb.execute(sql`
    insert into identities (source, external_id, kind, type, display_name, email, department)
    select 'test', 'bulk-' || n, 'human', 'employee', 'Bulk ' || lpad(n::text, 5, '0'), 'bulk-' || n || '@test.example',
      (array['Engineering', 'Sales', 'Support'])[1 + n % 3]
    from generate_series(1, ${HOLDERS}) n`);
  await testDb.execute(sql`
    insert into grants (identity_id, entitlement_id, kind, source, granted_at)
    select i.id, ${entitlement.id}, 'standing', 'import', timestamptz '2026-01-01' + (substr(i.external_id, 6)::int % 97) * interval '1 hour'
    from identities i where i.external_id like 'bulk-%'`);
  await testDb.execute(sql`analyze identities; analyze grants`);
  return { owner: await actorFor(testDb, owner.id), admin: await actorFor(testDb, admin.id), ownerId: owner.id, outsiderId: outsider.id, entitlementId: entitlement.id };
}

beforeAll(async () => {
  fixture = await build();
});

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describe("an owner with many holders", () => {
  it("is told the holders are many", async () => {
    const scope = await scopeOf(testDb, fixture.owner);
    expect(scope.everything === false && scope.ownedLiveGrants).toBe(MANY_OWNED_GRANTS + 1);
  });

  it("lists themselves and the holders in display order, page after page", async () => {
    const expected = ids(
      await testDb.execute<{ id: string }>(sql`
        select id from identities
        where id = ${fixture.ownerId} or id in (select identity_id from grants where entitlement_id = ${fixture.entitlementId})
        order by display_name, id limit 150`),
    );
    const scope = await scopeOf(testDb, fixture.owner);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 3; page++) {
      const result = await listIdentities(testDb, { scope, filters: { cursor } });
      seen.push(...ids(result.rows));
      cursor = result.nextCursor;
    }
    expect(seen).toEqual(expected);
    expect(seen).not.toContain(fixture.outsiderId);
  });

  it("searches the holders by name", async () => {
    const scope = await scopeOf(testDb, fixture.owner);
    const page = await listIdentities(testDb, { scope, filters: { q: "bulk 0420" } });
    expect(page.rows.map((r) => r.displayName)).toEqual(["Bulk 04200", "Bulk 04201", "Bulk 04202", "Bulk 04203", "Bulk 04204", "Bulk 04205", "Bulk 04206", "Bulk 04207", "Bulk 04208", "Bulk 04209"]);
  });

  it("is offered every department", async () => {
    const departments = await listDepartments(testDb, { scope: await scopeOf(testDb, fixture.owner) });
    expect(departments).toEqual(["Engineering", "IT", "Legal", "Sales", "Support"]);
  });

  it("counts themselves and every holder, and every grant of what they own", async () => {
    const overview = await getOverview(deps, fixture.owner);
    expect(overview.identities).toEqual({ total: HOLDERS + 1, nonHuman: 0, leavers: 0 });
    expect(overview.grants).toEqual({ active: HOLDERS, privileged: 0, standingPrivileged: 0 });
  });

  it("pages the grants of what they own, newest first", async () => {
    const expected = ids(await testDb.execute<{ id: string }>(sql`select id from grants where entitlement_id = ${fixture.entitlementId} order by granted_at desc, id desc limit 100`));
    const first = await browseGrants(deps, fixture.owner, {});
    const second = await browseGrants(deps, fixture.owner, { cursor: first.nextCursor });
    expect([...ids(first.rows), ...ids(second.rows)]).toEqual(expected);
  });
});

describe("a search naming more than 5,000 people", () => {
  it("is matched in SQL and pages like any other list", async () => {
    const expected = ids(
      await testDb.execute<{ id: string }>(sql`
        select g.id from grants g join identities i on i.id = g.identity_id where i.display_name ilike '%bulk%'
        order by g.granted_at desc, g.id desc limit 100`),
    );
    const first = await browseGrants(deps, fixture.admin, { q: "bulk" });
    const second = await browseGrants(deps, fixture.admin, { q: "bulk", cursor: first.nextCursor });
    expect([...ids(first.rows), ...ids(second.rows)]).toEqual(expected);
  });
});
