import { describe, expect, it } from "vitest";
import { makeApplication, makeEntitlement, makePerson } from "@/lib/testing/factories";
import { testDb } from "@/lib/testing/test-db";
import { listApplications } from "./applications";

describe("listApplications", () => {
  it("counts each application's own entitlements and names its own owners", async () => {
    const owner = await makePerson(testDb, { displayName: "Olu Owner" });
    const app = await makeApplication(testDb, { ownerIds: [owner.id], name: "Counted app" });
    await makeEntitlement(testDb, { applicationId: app.id, privileged: true });
    await makeEntitlement(testDb, { applicationId: app.id });
    await makeEntitlement(testDb, { applicationId: (await makeApplication(testDb, { name: "Other app" })).id });
    const page = await listApplications(testDb, { actorId: owner.id, q: "Counted app" });
    expect(page.rows).toEqual([expect.objectContaining({ name: "Counted app", owners: ["Olu Owner"], ownedByActor: true, entitlementCount: 2, privilegedCount: 1 })]);
  });
});
