import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accounts, auditEvents, grants, notifications } from "@/db/schema";
import { setEnv } from "@/lib/env";
import { JobQueue } from "@/lib/jobs/queue";
import { workRevocations } from "@/lib/jobs/revocation-worker";
import type { Deps } from "@/lib/domain/deps";
import { CRASH_TEST_POLICY } from "@/lib/testing/revocation-policy";
import { attemptsOf, grantOf, revocationOf, revocationScenario, revoke, settledRevocation, waitFor } from "@/lib/testing/revocation-scenario";
import { startScimServer, type Fault, type ScimServer, type SeenRequest } from "@/lib/testing/scim-server";
import { testDatabaseUrl, testDb } from "@/lib/testing/test-db";

const TOKEN = "scim-target-token-do-not-log-3f9a";
const jobs = new JobQueue(testDatabaseUrl, CRASH_TEST_POLICY);
const deps: Deps = { db: testDb, now: () => new Date(), jobs };

let fault: (request: SeenRequest, index: number) => Fault = () => "none";
let server: ScimServer;

beforeAll(async () => {
  setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "true");
  server = await startScimServer({ token: TOKEN, fault: (r, i) => fault(r, i) });
});
afterAll(async () => {
  await jobs.stop();
  await server?.close();
  setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "false");
});

/** A holder who is a member of a SCIM group in the target, with a grant on the entitlement mapped to it. */
async function scimScenario(options: { action?: "remove_from_group" | "deactivate_user"; timeoutMs?: number; mapped?: boolean } = {}) {
  const email = `holder-${Math.random().toString(36).slice(2, 10)}@test.example`;
  const user = server.addUser(email);
  const bystander = server.addUser(`other-${email}`);
  const group = server.addGroup(`prod-admins-${email}`, [user.id, bystander.id]);
  const s = await revocationScenario(testDb, {
    connectorKind: "scim",
    config: { baseUrl: server.baseUrl, action: options.action ?? "remove_from_group", timeoutMs: options.timeoutMs ?? 2_000 },
    secret: TOKEN,
    entitlementExternalId: options.mapped === false ? undefined : group.id,
    holderEmail: email,
  });
  return { ...s, user, bystander, group };
}

const patchesTo = (id: string) => server.requests.filter((r) => r.method === "PATCH" && r.path.includes(id));

describe("SCIM revocation against a real SCIM 2.0 server on loopback", () => {
  beforeAll(async () => {
    await workRevocations(deps, { concurrency: 2 });
  });

  it("removes the member from the group and verifies by reading the group back", async () => {
    fault = () => "none";
    const s = await scimScenario();
    const { revocationId } = await revoke(deps, s.grant.id);
    const done = await settledRevocation(testDb, revocationId);

    expect(done.status).toBe("verified");
    expect(done.verification).toBe("read_back");
    expect(done.dispatchedAt && done.appliedAt && done.verifiedAt).toBeTruthy();
    // The target really changed: the holder is gone, the other member stays.
    expect(server.store.groups.get(s.group.id)!.members.map((m) => m.value)).toEqual([s.bystander.id]);
    const grant = await grantOf(testDb, s.grant.id);
    expect(grant).toMatchObject({ status: "revoked", liveState: "absent" });
    expect(grant.endedAt).toBeTruthy();

    // Receipts: every exchange, with the bearer token redacted everywhere.
    const attempts = await attemptsOf(testDb, revocationId);
    expect(attempts.map((a) => a.phase)).toEqual(["lookup", "dispatch", "lookup", "verify"]);
    expect(attempts.find((a) => a.phase === "dispatch")!.request).toMatchObject({ method: "PATCH", headers: { authorization: "[redacted]" } });
    expect(attempts.find((a) => a.phase === "dispatch")!.response).toMatchObject({ status: 200 });
    expect(JSON.stringify(attempts)).not.toContain(TOKEN);
    // The target got the bearer token and one PATCH.
    expect(patchesTo(s.group.id)).toHaveLength(1);
    expect(patchesTo(s.group.id)[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);

    const audit = await testDb.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityId, s.grant.id)).orderBy(auditEvents.id);
    expect(audit.map((a) => a.action)).toEqual(["revocation.requested", "revocation.dispatched", "revocation.applied", "revocation.verified"]);
    expect(JSON.stringify(await testDb.select().from(auditEvents))).not.toContain(TOKEN);
  });

  it("deactivates the user when the connector is set to, addressing it by the account's external id", async () => {
    fault = () => "none";
    const s = await scimScenario({ action: "deactivate_user" });
    const [account] = await testDb.insert(accounts).values({ applicationId: s.app.id, identityId: s.holder.id, username: "someone-else", externalId: s.user.id }).returning();
    await testDb.update(grants).set({ accountId: account!.id }).where(eq(grants.id, s.grant.id));
    const { revocationId } = await revoke(deps, s.grant.id);
    const done = await settledRevocation(testDb, revocationId);
    expect(done.status).toBe("verified");
    expect(server.store.users.get(s.user.id)!.active).toBe(false);
    // No lookup by userName: the external id was known.
    expect((await attemptsOf(testDb, revocationId)).map((a) => a.phase)).toEqual(["dispatch", "verify"]);
  });

  it("retries through 500s with backoff and then verifies", async () => {
    const s = await scimScenario();
    let failures = 0;
    fault = (r) => (r.method === "PATCH" && r.path.includes(s.group.id) && failures++ < 2 ? { status: 500 } : "none");
    const { revocationId } = await revoke(deps, s.grant.id);
    const done = await settledRevocation(testDb, revocationId);
    expect(done.status).toBe("verified");
    expect(done.attempts).toBe(3);
    const dispatches = (await attemptsOf(testDb, revocationId)).filter((a) => a.phase === "dispatch");
    expect(dispatches.map((a) => a.outcome)).toEqual(["error", "error", "ok"]);
    expect(dispatches[0]!.error).toBe("HTTP 500");
  });

  it("a target that keeps answering 500 ends failed, never verified, alerting the owner and the admins", async () => {
    const s = await scimScenario();
    fault = (r) => (r.method === "PATCH" ? { status: 500 } : "none");
    const { revocationId } = await revoke(deps, s.grant.id);
    const done = await settledRevocation(testDb, revocationId);
    expect(done.status).toBe("failed");
    expect(done.verifiedAt).toBeNull();
    expect(done.attempts).toBe(CRASH_TEST_POLICY.retryLimit + 1);
    expect(done.lastError).toMatch(/HTTP 500.*gave up after 4 attempts/);
    // Never shown as gone: the grant is still pending revocation, and the holder is still in the group.
    expect((await grantOf(testDb, s.grant.id)).status).toBe("pending_revocation");
    expect(server.store.groups.get(s.group.id)!.members.map((m) => m.value)).toContain(s.user.id);
    const told = await testDb.select({ recipientId: notifications.recipientId }).from(notifications).where(eq(notifications.kind, "revocation.failed"));
    expect(told.map((n) => n.recipientId)).toEqual(expect.arrayContaining([s.owner.id, s.admin.id]));
  });

  it("a target that never answers times out, is retried, and ends failed", async () => {
    const s = await scimScenario({ timeoutMs: 300 });
    fault = (r) => (r.method === "PATCH" ? "hang" : "none");
    const { revocationId } = await revoke(deps, s.grant.id);
    const done = await settledRevocation(testDb, revocationId);
    expect(done.status).toBe("failed");
    expect(done.lastError).toMatch(/did not answer within 300 ms/);
    const dispatches = (await attemptsOf(testDb, revocationId)).filter((a) => a.phase === "dispatch");
    expect(dispatches).toHaveLength(4);
    expect(dispatches.every((a) => a.response === null && a.outcome === "error")).toBe(true);
  });

  it("never follows a redirect (to cloud metadata or anywhere): it fails at once and says why", async () => {
    const s = await scimScenario();
    fault = (r) => (r.method === "PATCH" ? { status: 302, location: "http://169.254.169.254/latest/meta-data/" } : "none");
    const { revocationId } = await revoke(deps, s.grant.id);
    const done = await settledRevocation(testDb, revocationId);
    expect(done.status).toBe("failed");
    expect(done.attempts).toBe(1);
    expect(done.lastError).toMatch(/redirect \(HTTP 302\), which is never followed/);
  });

  it("fails at once, without retrying, when the entitlement has no SCIM group", async () => {
    fault = () => "none";
    const s = await scimScenario({ mapped: false });
    const { revocationId } = await revoke(deps, s.grant.id);
    const done = await settledRevocation(testDb, revocationId);
    expect(done.status).toBe("failed");
    expect(done.attempts).toBe(1);
    expect(done.lastError).toMatch(/No SCIM group is mapped/);
  });
});

describe("a worker killed mid-revocation", () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  });

  async function crashingWorker(point: "afterDispatch" | "afterApplied"): Promise<ChildProcess> {
    // node itself (not the tsx wrapper), so the SIGKILL is the worker's own death.
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("lib/testing/revocation-crash-worker.ts"), testDatabaseUrl, point], {
      env: { ...process.env, ACCORD_ALLOW_PRIVATE_TARGETS: "true" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
      child.on("exit", (code) => reject(new Error(`crash worker exited early (${code})`)));
    });
    return child;
  }

  for (const point of ["afterDispatch", "afterApplied"] as const) {
    it(`resumes and finishes exactly once (killed ${point === "afterDispatch" ? "after the PATCH reached the target, before it was recorded" : "after applied, before the read-back"})`, async () => {
      fault = () => "none";
      // Only the crashing worker polls this queue now: stop the in-process one first.
      await jobs.stop();
      const child = await crashingWorker(point);
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
      const s = await scimScenario();
      const { revocationId } = await revoke(deps, s.grant.id);
      expect(await exited).toBe("SIGKILL");
      const halfway = await revocationOf(testDb, revocationId);
      expect(halfway.status).toBe(point === "afterDispatch" ? "dispatched" : "applied");
      expect(server.store.groups.get(s.group.id)!.members.map((m) => m.value)).not.toContain(s.user.id);

      // A healthy worker takes the expired job back and resumes from the database state.
      await workRevocations(deps, { concurrency: 1 });
      const done = await settledRevocation(testDb, revocationId);
      expect(done.status).toBe("verified");
      expect(patchesTo(s.group.id)).toHaveLength(1);
      // The killed run's PATCH is in the receipts: they are kept as each call happens.
      const receipts = await attemptsOf(testDb, revocationId);
      expect(receipts.filter((a) => a.phase === "dispatch")).toMatchObject([{ attempt: 1, outcome: "ok" }]);
      expect(Math.max(...receipts.map((a) => a.attempt))).toBe(2);
      const verifiedAudits = await testDb
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.entityId, s.grant.id), eq(auditEvents.action, "revocation.verified")));
      expect(verifiedAudits).toHaveLength(1);
      const applied = await testDb
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.entityId, s.grant.id), eq(auditEvents.action, "revocation.applied")));
      expect(applied).toHaveLength(1);
      if (point === "afterDispatch") expect(JSON.stringify(applied[0]!.after)).toContain("already showed the access removed");
      // Give a stray duplicate job time to show itself: still exactly one verification.
      await new Promise((r) => setTimeout(r, 2_000));
      expect(
        await testDb
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.entityId, s.grant.id), eq(auditEvents.action, "revocation.verified"))),
      ).toHaveLength(1);
      await waitFor(async () => (await grantOf(testDb, s.grant.id)).status === "revoked");
    });
  }
});
