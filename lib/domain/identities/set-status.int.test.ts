import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { authSessions, identities, lifecycleEvents } from "@/db/schema";
import { actorFor, makeApplication, makeEntitlement, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { loadActiveActor } from "@/lib/domain/access/load-actor";
import { setEntitlementPrivileged } from "@/lib/domain/entitlements/set-privileged";
import { Forbidden } from "@/lib/errors";
import { setIdentityStatus } from "./set-status";

const deps = testDeps();

describe("setIdentityStatus", () => {
  it("ends a suspended person's sessions and refuses them as an actor from then on", async () => {
    const admin = await makePerson(testDb, { roles: ["admin"] });
    const target = await makePerson(testDb);
    await testDb.insert(authSessions).values({ tokenHash: `h-${target.id}`, identityId: target.id, expiresAt: new Date(Date.now() + 3_600_000), method: "oidc" });
    expect(await loadActiveActor(testDb, target.id)).not.toBeNull();

    const result = await setIdentityStatus(deps, await actorFor(testDb, admin.id), { identityId: target.id, status: "suspended", reason: "Laptop stolen" });
    expect(result).toEqual({ changed: true, sessionsEnded: 1 });
    expect(await loadActiveActor(testDb, target.id)).toBeNull();
    expect(await testDb.select().from(authSessions).where(eq(authSessions.identityId, target.id))).toEqual([]);
    const [event] = await testDb.select().from(lifecycleEvents).where(eq(lifecycleEvents.identityId, target.id));
    expect(event).toMatchObject({ kind: "suspension", changes: { status: { from: "active", to: "suspended" } } });
  });

  it("refuses non-admins, auditors included, and changes nothing", async () => {
    const auditor = await makePerson(testDb, { roles: ["auditor"] });
    const manager = await makePerson(testDb);
    const target = await makePerson(testDb, { managerId: manager.id });
    for (const actorId of [auditor.id, manager.id]) {
      await expect(setIdentityStatus(deps, await actorFor(testDb, actorId), { identityId: target.id, status: "leaver", reason: "nope" })).rejects.toBeInstanceOf(Forbidden);
    }
    const [row] = await testDb.select({ status: identities.status }).from(identities).where(eq(identities.id, target.id));
    expect(row!.status).toBe("active");
  });
});

describe("setEntitlementPrivileged", () => {
  it("refuses an auditor and a non-owner", async () => {
    const owner = await makePerson(testDb);
    const auditor = await makePerson(testDb, { roles: ["auditor"] });
    const other = await makePerson(testDb);
    const app = await makeApplication(testDb, { ownerIds: [owner.id] });
    const entitlement = await makeEntitlement(testDb, { applicationId: app.id });
    for (const actorId of [auditor.id, other.id]) {
      await expect(setEntitlementPrivileged(deps, await actorFor(testDb, actorId), { entitlementId: entitlement.id, privileged: true })).rejects.toBeInstanceOf(Forbidden);
    }
  });
});
