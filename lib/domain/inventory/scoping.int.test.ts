import { beforeAll, describe, expect, it } from "vitest";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makeNonHuman, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import type { Actor } from "@/lib/domain/access/actor";
import { NotFound } from "@/lib/errors";
import { browseApplications, getApplicationProfile } from "./applications";
import { browseGrants, getGrantStory } from "./grants";
import { browseIdentities, getIdentityProfile } from "./identities";

/**
 * A small organisation: director > manager > employee (who owns a service account), an app
 * owner in another department, a stranger on another team, an auditor and an admin.
 */
let org: Awaited<ReturnType<typeof buildOrg>>;
const deps = testDeps();

async function buildOrg() {
  const director = await makePerson(testDb, { displayName: "Dora Director" });
  const manager = await makePerson(testDb, { displayName: "Mia Manager", managerId: director.id });
  const employee = await makePerson(testDb, { displayName: "Eli Employee", managerId: manager.id });
  const otherManager = await makePerson(testDb, { displayName: "Otto Othermanager", department: "Sales" });
  const stranger = await makePerson(testDb, { displayName: "Sam Stranger", managerId: otherManager.id, department: "Sales" });
  const appOwner = await makePerson(testDb, { displayName: "Olga Owner", department: "IT" });
  const auditor = await makePerson(testDb, { displayName: "Aldo Auditor", roles: ["auditor"] });
  const admin = await makePerson(testDb, { displayName: "Ada Admin", roles: ["admin"] });
  const serviceAccount = await makeNonHuman(testDb, { ownerId: employee.id, displayName: "svc-deploy" });
  const ownedApp = await makeApplication(testDb, { ownerIds: [appOwner.id], name: "Owned App" });
  const otherApp = await makeApplication(testDb, { ownerIds: [otherManager.id], name: "Other App" });
  const ownedEntitlement = await makeEntitlement(testDb, { applicationId: ownedApp.id, privileged: true });
  const otherEntitlement = await makeEntitlement(testDb, { applicationId: otherApp.id });
  const employeeGrant = await makeGrant(testDb, { identityId: employee.id, entitlementId: ownedEntitlement.id });
  const strangerGrant = await makeGrant(testDb, { identityId: stranger.id, entitlementId: otherEntitlement.id });
  const actors = Object.fromEntries(
    await Promise.all(Object.entries({ director, manager, employee, otherManager, stranger, appOwner, auditor, admin }).map(async ([k, v]) => [k, await actorFor(testDb, v.id)] as const)),
  ) as Record<"director" | "manager" | "employee" | "otherManager" | "stranger" | "appOwner" | "auditor" | "admin", Actor>;
  return { director, manager, employee, stranger, appOwner, serviceAccount, ownedApp, otherApp, employeeGrant, strangerGrant, actors };
}

beforeAll(async () => {
  org = await buildOrg();
});

const names = async (actor: Actor) => (await browseIdentities(deps, actor, {})).rows.map((r) => r.displayName).sort();
const grantIds = async (actor: Actor) => (await browseGrants(deps, actor, {})).rows.map((r) => r.id).sort();

describe("identity lists are scoped in SQL", () => {
  it("shows a manager themselves, their reports and the NHIs their reports own", async () => {
    expect(await names(org.actors.manager)).toEqual(["Eli Employee", "Mia Manager", "svc-deploy"]);
  });
  it("shows a director everyone below them, transitively", async () => {
    expect(await names(org.actors.director)).toEqual(["Dora Director", "Eli Employee", "Mia Manager", "svc-deploy"]);
  });
  it("shows an app owner the people who hold their application's access", async () => {
    expect(await names(org.actors.appOwner)).toEqual(["Eli Employee", "Olga Owner"]);
  });
  it("shows an employee themselves and what they own", async () => {
    expect(await names(org.actors.employee)).toEqual(["Eli Employee", "svc-deploy"]);
  });
  it("shows auditors and admins everyone", async () => {
    for (const actor of [org.actors.auditor, org.actors.admin]) {
      expect(await names(actor)).toEqual(expect.arrayContaining(["Sam Stranger", "Eli Employee", "Otto Othermanager", "svc-deploy"]));
    }
  });
  it("filters by category and keeps paging stable", async () => {
    const nhis = await browseIdentities(deps, org.actors.admin, { category: "non_human" });
    expect(nhis.rows.map((r) => r.displayName)).toEqual(["svc-deploy"]);
    expect(nhis.rows[0]!.ownerName).toBe("Eli Employee");
  });
});

describe("grant lists are scoped in SQL", () => {
  it("lets the holder, their manager chain and the app owner see a grant, and nobody else", async () => {
    for (const actor of [org.actors.employee, org.actors.manager, org.actors.director, org.actors.appOwner]) {
      expect(await grantIds(actor)).toEqual([org.employeeGrant.id]);
    }
    expect(await grantIds(org.actors.stranger)).toEqual([org.strangerGrant.id]);
    expect(await grantIds(org.actors.auditor)).toEqual([org.employeeGrant.id, org.strangerGrant.id].sort());
  });
  it("scopes an application's holders the same way", async () => {
    const seenByManager = await getApplicationProfile(deps, org.actors.manager, org.otherApp.id, {});
    expect(seenByManager.holders.rows).toEqual([]);
    const seenByOwner = await getApplicationProfile(deps, org.actors.otherManager, org.otherApp.id, {});
    expect(seenByOwner.holders.rows.map((r) => r.id)).toEqual([org.strangerGrant.id]);
  });
  it("lists an app owner's own applications on request", async () => {
    const mine = await browseApplications(deps, org.actors.appOwner, { mine: "1" });
    expect(mine.rows.map((r) => r.name)).toEqual(["Owned App"]);
  });
});

describe("single records outside the scope are not found", () => {
  it("does not reveal another team's identity to a manager", async () => {
    await expect(getIdentityProfile(deps, org.actors.manager, org.stranger.id)).rejects.toBeInstanceOf(NotFound);
    await expect(getIdentityProfile(deps, org.actors.manager, org.employee.id)).resolves.toMatchObject({ identity: { displayName: "Eli Employee" } });
  });
  it("does not reveal another team's grant", async () => {
    await expect(getGrantStory(deps, org.actors.manager, org.strangerGrant.id)).rejects.toBeInstanceOf(NotFound);
    await expect(getGrantStory(deps, org.actors.auditor, org.strangerGrant.id)).resolves.toMatchObject({ grant: { id: org.strangerGrant.id } });
  });
  it("treats malformed ids as not found rather than crashing", async () => {
    await expect(getIdentityProfile(deps, org.actors.admin, "not-a-uuid")).rejects.toBeInstanceOf(NotFound);
  });
});

describe("searching grants", () => {
  it("finds grants by the holder's name or the entitlement's name, within scope", async () => {
    const byHolder = await browseGrants(deps, org.actors.admin, { q: "eli empl" });
    expect(byHolder.rows.map((r) => r.id)).toEqual([org.employeeGrant.id]);
    const byHolderOutOfScope = await browseGrants(deps, org.actors.stranger, { q: "eli empl" });
    expect(byHolderOutOfScope.rows).toEqual([]);
    const withWildcards = await browseGrants(deps, org.actors.admin, { q: "%" });
    expect(withWildcards.rows).toEqual([]);
  });
});
