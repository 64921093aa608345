import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { activations, accessRequests } from "@/db/schema";
import { QUEUES } from "@/lib/jobs/queue";
import { startWorkers } from "@/lib/jobs/workers";
import { makeApplication, makeEntitlement, makeGrant, makePerson, makeRequest } from "@/lib/testing/factories";
import { testDb, testDeps, testJobs } from "@/lib/testing/test-db";

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it("runs the access sweep from the queue: the worker is registered and scheduled with the others", async () => {
  const deps = testDeps();
  const person = await makePerson(testDb);
  const app = await makeApplication(testDb);
  const entitlement = await makeEntitlement(testDb, { applicationId: app.id });
  const grant = await makeGrant(testDb, { identityId: person.id, entitlementId: entitlement.id, kind: "eligible" });
  const [window] = await testDb
    .insert(activations)
    .values({ grantId: grant.id, identityId: person.id, startsAt: new Date(Date.now() - 7_200_000), endsAt: new Date(Date.now() - 3_600_000), justification: "ended an hour ago" })
    .returning();
  const { request } = await makeRequest(testDb, { requesterId: person.id, entitlementId: entitlement.id, approverIds: [] });
  await testDb
    .update(accessRequests)
    .set({ expiresAt: new Date(Date.now() - 60_000) })
    .where(eq(accessRequests.id, request.id));

  await startWorkers(deps);
  const boss = await testJobs.boss();
  expect((await boss.getSchedules()).map((s) => s.name)).toContain(QUEUES.accessExpiry);
  await boss.send(QUEUES.accessExpiry, {});
  await waitFor(async () => ((await testDb.select().from(activations).where(eq(activations.id, window!.id)))[0]?.status === "expired" ? true : undefined));
  // Requests are the sweep's last step: wait for the same run to reach them.
  const lapsed = await waitFor(async () => {
    const [row] = await testDb.select({ status: accessRequests.status }).from(accessRequests).where(eq(accessRequests.id, request.id));
    return row?.status === "pending" ? undefined : row;
  });
  expect(lapsed.status).toBe("expired");
});
