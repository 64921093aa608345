import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activations, auditEvents, grants, notifications } from "@/db/schema";
import { setEnv } from "@/lib/env";
import { verifyWebhook, webhookHeaders } from "@/lib/http/webhook-signature";
import { workRevocations } from "@/lib/jobs/revocation-worker";
import { auditActor, SYSTEM_ACTOR } from "@/lib/domain/access/actor";
import { Forbidden } from "@/lib/errors";
import { actorFor, makePerson } from "@/lib/testing/factories";
import { attemptsOf, grantOf, revocationOf, revocationScenario, revoke, settledRevocation, waitFor } from "@/lib/testing/revocation-scenario";
import { testDatabaseUrl, testDb, testDeps } from "@/lib/testing/test-db";
import { POST as callbackRoute } from "@/app/api/v1/revocations/[id]/callback/route";
import { attestRevocation, retryRevocation } from "./manage";
import { reduceGrant } from "./reduce-grant";

const deps = testDeps();
const SECRET = "whsec_receiver-shared-secret-7c1d";

/** Accord's callback endpoint on loopback: real HTTP in, the real route handler behind it. */
let accord: Server;
beforeAll(async () => {
  async function serve(req: IncomingMessage, res: ServerResponse) {
    let body = "";
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url!, `http://${req.headers.host}`);
    const match = url.pathname.match(/^\/api\/v1\/revocations\/([^/]+)\/callback$/);
    if (!match || req.method !== "POST") return res.writeHead(404).end();
    const response = await callbackRoute(new NextRequest(url, { method: "POST", headers: req.headers as Record<string, string>, body }), { params: Promise.resolve({ id: match[1]! }) });
    res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  }
  // A handler that throws drops the connection, so the caller sees a failure instead of waiting.
  accord = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => res.destroy(error as Error));
  });
  await new Promise<void>((resolve) => accord.listen(0, "127.0.0.1", resolve));
  setEnv("AUTH_URL", `http://127.0.0.1:${(accord.address() as AddressInfo).port}`);
  setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "true");
  // The route handler uses the process-wide pool on DATABASE_URL: this file's database.
  setEnv("DATABASE_URL", testDatabaseUrl);
  await workRevocations(deps);
});
afterAll(async () => {
  setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "false");
  await new Promise<void>((resolve) => accord.close(() => resolve()));
});

interface ReceivedEvent {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  signatureValid: boolean;
}

/**
 * A customer's revocation receiver: checks Accord's signature, answers, and then (as a real
 * receiver would, after removing the access) calls back with the token from the event.
 */
async function startRevocationReceiver(behaviour: { status?: (n: number) => number; callback?: "token" | "signature" | "none"; statusReplies?: string[] }) {
  const events: ReceivedEvent[] = [];
  const callbacks: { status: number; body: string }[] = [];
  let statusPolls = 0;
  async function receive(req: IncomingMessage, res: ServerResponse) {
    let body = "";
    for await (const chunk of req) body += chunk;
    if (req.method === "GET") {
      const reply = behaviour.statusReplies?.[Math.min(statusPolls++, (behaviour.statusReplies?.length ?? 1) - 1)] ?? "pending";
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: reply }));
    }
    const signatureValid = verifyWebhook(
      SECRET,
      { id: req.headers["webhook-id"] as string, timestamp: req.headers["webhook-timestamp"] as string, signature: req.headers["webhook-signature"] as string },
      body,
      new Date(),
    );
    events.push({ headers: req.headers, body, signatureValid });
    const status = signatureValid ? (behaviour.status?.(events.length) ?? 202) : 401;
    res.writeHead(status).end();
    if (status >= 300 || (behaviour.callback ?? "token") === "none") return;
    const event = JSON.parse(body) as { data: { callback: { url: string; token: string } } };
    const payload = JSON.stringify({ status: "removed", detail: "Removed from the admins role" });
    const headers: Record<string, string> =
      behaviour.callback === "signature"
        ? webhookHeaders(SECRET, `cb-${Date.now()}`, new Date(), payload)
        : { "content-type": "application/json", authorization: `Bearer ${event.data.callback.token}` };
    const answer = await fetch(event.data.callback.url, { method: "POST", headers, body: payload });
    callbacks.push({ status: answer.status, body: await answer.text() });
  }
  const server = createServer((req, res) => {
    receive(req, res).catch((error: unknown) => {
      // Recorded, so a test expecting the callback fails on its status, not on a stray rejection.
      callbacks.push({ status: 0, body: String(error) });
      res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `${base}/revoke`, statusUrl: `${base}/status/{revocationId}`, events, callbacks, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("signed webhook connector", () => {
  it("posts a signed event, and the receiver's callback with the per-revocation token verifies it", async () => {
    const receiver = await startRevocationReceiver({ callback: "token" });
    try {
      const s = await revocationScenario(testDb, { connectorKind: "webhook", config: { url: receiver.url }, secret: SECRET });
      const { revocationId } = await revoke(deps, s.grant.id);
      const done = await settledRevocation(testDb, revocationId);

      expect(done).toMatchObject({ status: "verified", verification: "callback" });
      expect(receiver.events).toHaveLength(1);
      const event = receiver.events[0]!;
      expect(event.signatureValid).toBe(true);
      expect(event.headers["webhook-id"]).toBe(revocationId);
      expect(JSON.parse(event.body)).toMatchObject({ type: "revocation.requested", data: { revocationId, grant: { id: s.grant.id }, identity: { id: s.holder.id } } });
      expect(receiver.callbacks[0]!.status).toBe(200);
      expect(await grantOf(testDb, s.grant.id)).toMatchObject({ status: "revoked", liveState: "absent" });

      const attempts = await attemptsOf(testDb, revocationId);
      expect(attempts.map((a) => a.phase)).toEqual(expect.arrayContaining(["dispatch", "callback"]));
      const receipts = JSON.stringify(attempts);
      expect(receipts).not.toContain(SECRET);
      const token = (JSON.parse(event.body) as { data: { callback: { token: string } } }).data.callback.token;
      expect(receipts).not.toContain(token);
      expect(attempts.find((a) => a.phase === "dispatch")!.request).toMatchObject({ headers: { "webhook-signature": "[redacted]" } });
    } finally {
      await receiver.close();
    }
  });

  it("accepts a callback signed with the connector secret, and refuses a forged one", async () => {
    const receiver = await startRevocationReceiver({ callback: "none" });
    try {
      const s = await revocationScenario(testDb, { connectorKind: "webhook", config: { url: receiver.url }, secret: SECRET });
      const { revocationId } = await revoke(deps, s.grant.id);
      await waitFor(async () => (await revocationOf(testDb, revocationId)).status === "applied");
      const url = `${process.env.AUTH_URL}/api/v1/revocations/${revocationId}/callback`;
      const payload = JSON.stringify({ status: "removed" });

      const forged = await fetch(url, { method: "POST", headers: webhookHeaders("not-the-secret", "x1", new Date(), payload), body: payload });
      expect(forged.status).toBe(401);
      const wrongToken = await fetch(url, { method: "POST", headers: { authorization: "Bearer rvk_guess" }, body: payload });
      expect(wrongToken.status).toBe(401);
      expect((await revocationOf(testDb, revocationId)).status).toBe("applied");

      const signed = await fetch(url, { method: "POST", headers: webhookHeaders(SECRET, "x2", new Date(), payload), body: payload });
      expect(signed.status).toBe(200);
      expect((await revocationOf(testDb, revocationId)).verification).toBe("callback");
      // Saying it again is harmless.
      expect((await fetch(url, { method: "POST", headers: webhookHeaders(SECRET, "x3", new Date(), payload), body: payload })).status).toBe(200);
      expect(
        await testDb
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.entityId, s.grant.id), eq(auditEvents.action, "revocation.verified"))),
      ).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it("polls the status URL until it reports the access removed", async () => {
    const receiver = await startRevocationReceiver({ callback: "none", statusReplies: ["pending", "removed"] });
    try {
      const s = await revocationScenario(testDb, { connectorKind: "webhook", config: { url: receiver.url, statusUrl: receiver.statusUrl }, secret: SECRET });
      const { revocationId } = await revoke(deps, s.grant.id);
      const done = await settledRevocation(testDb, revocationId);
      expect(done).toMatchObject({ status: "verified", verification: "read_back" });
      expect(receiver.events).toHaveLength(1);
      const verifies = (await attemptsOf(testDb, revocationId)).filter((a) => a.phase === "verify");
      expect(verifies.map((a) => a.outcome)).toEqual(["pending", "ok"]);
    } finally {
      await receiver.close();
    }
  });

  it("a receiver that keeps failing ends failed; an owner fixes it and retries; others may not", async () => {
    let healthy = false;
    const receiver = await startRevocationReceiver({ status: () => (healthy ? 202 : 503), callback: "token" });
    try {
      const s = await revocationScenario(testDb, { connectorKind: "webhook", config: { url: receiver.url }, secret: SECRET });
      const { revocationId } = await revoke(deps, s.grant.id);
      const failed = await settledRevocation(testDb, revocationId);
      expect(failed.status).toBe("failed");
      expect(failed.lastError).toMatch(/HTTP 503/);
      expect((await grantOf(testDb, s.grant.id)).status).toBe("pending_revocation");

      const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
      const stranger = await actorFor(testDb, (await makePerson(testDb)).id);
      await expect(retryRevocation(deps, auditor, { revocationId })).rejects.toBeInstanceOf(Forbidden);
      await expect(retryRevocation(deps, stranger, { revocationId })).rejects.toThrow(/not found/);

      healthy = true;
      const owner = await actorFor(testDb, s.owner.id);
      await retryRevocation(deps, owner, { revocationId });
      const done = await waitFor(async () => {
        const row = await revocationOf(testDb, revocationId);
        return row.status === "verified" ? row : undefined;
      });
      expect(done.verification).toBe("callback");
      const actions = await testDb.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityId, s.grant.id)).orderBy(auditEvents.id);
      // The receiver may call back before the worker records its 2xx: then "applied" is skipped, never "verified".
      expect(actions.map((a) => a.action).filter((a) => a !== "revocation.applied")).toEqual([
        "revocation.requested",
        "revocation.dispatched",
        "revocation.failed",
        "revocation.retried",
        "revocation.verified",
      ]);
    } finally {
      await receiver.close();
    }
  });
});

describe("manual connector", () => {
  it("opens a task for the app owner, who confirms with a note: verified by attestation", async () => {
    const s = await revocationScenario(testDb, { connectorKind: "manual", config: { instructions: "Remove the user in the admin console." } });
    const { revocationId } = await revoke(deps, s.grant.id);
    await waitFor(async () => (await revocationOf(testDb, revocationId)).status === "dispatched");
    const [task] = await testDb
      .select()
      .from(notifications)
      .where(and(eq(notifications.recipientId, s.owner.id), eq(notifications.kind, "revocation.manual_task")));
    expect(task!.body).toContain("Remove the user in the admin console.");

    const holder = await actorFor(testDb, s.holder.id);
    const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
    await expect(attestRevocation(deps, holder, { revocationId, note: "I removed myself" })).rejects.toThrow();
    await expect(attestRevocation(deps, auditor, { revocationId, note: "Looks removed" })).rejects.toBeInstanceOf(Forbidden);

    const owner = await actorFor(testDb, s.owner.id);
    await attestRevocation(deps, owner, { revocationId, note: "Removed from the admin console, ticket OPS-12" });
    const done = await revocationOf(testDb, revocationId);
    expect(done).toMatchObject({ status: "verified", verification: "attestation" });
    expect((await grantOf(testDb, s.grant.id)).status).toBe("revoked");
    const [audit] = await testDb
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, s.grant.id), eq(auditEvents.action, "revocation.verified")));
    expect(audit).toMatchObject({ actorId: s.owner.id, reason: "Removed from the admin console, ticket OPS-12" });
    const attestation = (await attemptsOf(testDb, revocationId)).find((a) => a.phase === "attestation");
    expect(attestation!.response).toMatchObject({ attestedById: s.owner.id });
  });
});

describe("eligible grants and reductions", () => {
  it("revoking an eligible grant ends its open activation at once", async () => {
    const s = await revocationScenario(testDb, { connectorKind: "manual", grantKind: "eligible" });
    const now = Date.now();
    const [open] = await testDb
      .insert(activations)
      .values({ grantId: s.grant.id, identityId: s.holder.id, status: "active", startsAt: new Date(now - 600_000), endsAt: new Date(now + 3_600_000), justification: "incident" })
      .returning();
    await revoke(deps, s.grant.id);
    const [after] = await testDb.select().from(activations).where(eq(activations.id, open!.id));
    expect(after!.status).toBe("ended");
    expect(after!.endedAt).toBeTruthy();
    const [audit] = await testDb
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, s.grant.id), eq(auditEvents.action, "revocation.requested")));
    expect(JSON.stringify(audit!.after)).toContain(open!.id);
  });

  it("reducing to eligible revokes the standing grant through the connector and adds an eligible grant", async () => {
    const s = await revocationScenario(testDb, { connectorKind: "manual" });
    const reviewer = await actorFor(testDb, s.owner.id);
    const { revocationId, grantId } = await testDb.transaction((tx) => reduceGrant(deps, tx, { grantId: s.grant.id, to: "eligible", causeRef: "item-1", actor: auditActor(reviewer) }));
    const [successor] = await testDb.select().from(grants).where(eq(grants.id, grantId));
    expect(successor).toMatchObject({ kind: "eligible", status: "active", identityId: s.holder.id, entitlementId: s.entitlement.id, approvedById: s.owner.id });
    // A real removal downstream: the owner gets the task.
    await waitFor(async () => (await revocationOf(testDb, revocationId)).status === "dispatched");
    expect((await revocationOf(testDb, revocationId)).cause).toBe("reduce");
    const audits = await testDb.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityId, grantId));
    expect(audits.map((a) => a.action)).toContain("grant.reduced");
  });

  it("reducing to time-bound ends the standing grant without removing the access the new grant keeps", async () => {
    const s = await revocationScenario(testDb, { connectorKind: "manual" });
    const expiresAt = new Date(Date.now() + 14 * 86_400_000);
    const { revocationId, grantId } = await testDb.transaction((tx) => reduceGrant(deps, tx, { grantId: s.grant.id, to: "time_bound", expiresAt, causeRef: "item-2", actor: SYSTEM_ACTOR }));
    const done = await settledRevocation(testDb, revocationId);
    expect(done).toMatchObject({ status: "verified", verification: "superseded" });
    expect((await grantOf(testDb, s.grant.id)).status).toBe("revoked");
    expect(await grantOf(testDb, grantId)).toMatchObject({ kind: "time_bound", status: "active", liveState: "present", expiresAt });
    // Nobody was asked to remove anything.
    expect(
      await testDb
        .select()
        .from(notifications)
        .where(and(eq(notifications.recipientId, s.owner.id), eq(notifications.kind, "revocation.manual_task"))),
    ).toHaveLength(0);
  });
});
