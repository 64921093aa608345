import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookDeliveries } from "@/db/schema";
import { setEnv } from "@/lib/env";
import { verifyWebhook } from "@/lib/http/webhook-signature";
import { startWorkers } from "@/lib/jobs/workers";
import { actorFor, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { startReceiver } from "@/lib/testing/webhook-receiver";
import { Forbidden, Invalid } from "@/lib/errors";
import { publishEvent } from "./publish";
import { createSubscription, sendTestEvent } from "./subscriptions";

const deps = testDeps();

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 200));
  }
}

const deliveryOf = (id: string) =>
  testDb
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.id, id))
    .then((r) => r[0]!);

beforeAll(async () => {
  setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "true");
  await startWorkers(deps);
});
afterAll(() => setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "false"));

describe("outbound webhooks", () => {
  it("delivers a signed event once to a subscriber, through the job queue", async () => {
    const receiver = await startReceiver();
    try {
      const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
      const { secret } = await createSubscription(deps, admin, { name: "SIEM", url: receiver.url, events: ["webhook.test"] });
      const { eventId } = await sendTestEvent(deps, admin);
      const [delivery] = await testDb.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, eventId));
      await waitFor(async () => ((await deliveryOf(delivery!.id)).status === "delivered" ? true : undefined));

      expect(receiver.received).toHaveLength(1);
      const got = receiver.received[0]!;
      expect(JSON.parse(got.body)).toMatchObject({ id: eventId, type: "webhook.test" });
      expect(
        verifyWebhook(
          secret,
          { id: got.headers["webhook-id"] as string, timestamp: got.headers["webhook-timestamp"] as string, signature: got.headers["webhook-signature"] as string },
          got.body,
          new Date(),
        ),
      ).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it("retries with backoff after failures and redirects, and records each attempt", async () => {
    // 500, then a redirect to the cloud metadata address (never followed), then success.
    const receiver = await startReceiver((n) => (n === 1 ? { status: 500 } : n === 2 ? { status: 302, location: "http://169.254.169.254/" } : { status: 200 }));
    try {
      const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
      await createSubscription(deps, admin, { name: "Flaky", url: receiver.url, events: ["identity.status_changed"] });
      const eventId = await testDb.transaction((tx) => publishEvent(deps, tx, { type: "identity.status_changed", data: { n: 1 }, at: new Date() }));
      const [delivery] = await testDb.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, eventId));
      const done = await waitFor(async () => {
        const row = await deliveryOf(delivery!.id);
        return row.status === "delivered" ? row : undefined;
      });
      expect(done.attempts).toBe(3);
      expect(receiver.received).toHaveLength(3);
      // The same event id on every attempt: the receiver's idempotency key.
      expect(new Set(receiver.received.map((r) => r.headers["webhook-id"]))).toEqual(new Set([eventId]));
    } finally {
      await receiver.close();
    }
  });

  it("leaves neither a delivery nor a job when the producing transaction rolls back", async () => {
    const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
    await createSubscription(deps, admin, { name: "Rollback", url: "http://127.0.0.1:9/hook", events: ["finding.opened"] });
    let eventId = "";
    await expect(
      testDb.transaction(async (tx) => {
        eventId = await publishEvent(deps, tx, { type: "finding.opened", data: {}, at: new Date() });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await testDb.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, eventId))).toEqual([]);
  });

  it("refuses private targets unless allowed, and non-admins", async () => {
    const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
    const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
    setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "false");
    try {
      await expect(createSubscription(deps, admin, { name: "Metadata", url: "https://169.254.169.254/latest", events: ["finding.opened"] })).rejects.toBeInstanceOf(Invalid);
    } finally {
      setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "true");
    }
    await expect(createSubscription(deps, auditor, { name: "Nope", url: "https://example.com/hook", events: ["finding.opened"] })).rejects.toBeInstanceOf(Forbidden);
  });
});
