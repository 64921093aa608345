import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, notifications, revocations } from "@/db/schema";
import { setEnv } from "@/lib/env";
import { QUEUES } from "@/lib/jobs/queue";
import { workRevocations } from "@/lib/jobs/revocation-worker";
import { SYSTEM_ACTOR } from "@/lib/domain/access/actor";
import { expireDueGrants } from "@/lib/domain/jit/expire";
import { browseGrants } from "@/lib/domain/inventory/grants";
import { actorFor, makePerson } from "@/lib/testing/factories";
import { attemptsOf, grantOf, revocationOf, revocationScenario, revoke, settledRevocation, waitFor } from "@/lib/testing/revocation-scenario";
import { startScimServer, type ScimServer } from "@/lib/testing/scim-server";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { startReceiver } from "@/lib/testing/webhook-receiver";
import { requestRevocation } from "./request-revocation";
import { REVOCATION_LEASE_MS, settleStalledRevocation, sweepStalledRevocations } from "./sweep";

const TOKEN = "scim-target-token-sweep-5b2e";
const SECRET = "whsec_sweep-receiver-secret-91aa";
const HOUR = 3_600_000;
/** The test clock: services read deps.now(), and a test moves it forward past leases and deadlines. */
let offset = 0;
const deps = testDeps(() => new Date(Date.now() + offset));
/** testJobs retries 3 times: 4 attempts in all. */
const MAX_ATTEMPTS = 4;

let server: ScimServer;
beforeAll(async () => {
  setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "true");
  server = await startScimServer({ token: TOKEN });
});
afterAll(async () => {
  await server?.close();
  setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "false");
});

async function scimScenario(grantKind: "standing" | "time_bound" = "standing") {
  const email = `holder-${Math.random().toString(36).slice(2, 10)}@test.example`;
  const user = server.addUser(email);
  const group = server.addGroup(`admins-${email}`, [user.id]);
  const s = await revocationScenario(testDb, {
    connectorKind: "scim",
    config: { baseUrl: server.baseUrl, timeoutMs: 2_000 },
    secret: TOKEN,
    entitlementExternalId: group.id,
    holderEmail: email,
    grantKind,
  });
  return { ...s, user, group };
}

interface JobRow extends Record<string, unknown> {
  state: string;
  retry_limit: number;
  data: { revocationId: string; resend?: boolean };
}
const jobsOf = (revocationId: string) =>
  testDb.execute<JobRow>(sql`select state::text, retry_limit, data from pgboss.job where name = ${QUEUES.revocationDispatch} and data->>'revocationId' = ${revocationId} order by created_on`);

/** What pg-boss does to a job whose worker died on its final try: failed, never retried. */
const expireFinalTry = (revocationId: string) =>
  testDb.execute(sql`update pgboss.job set state = 'failed', retry_count = retry_limit, completed_on = now(), output = '{"message":"job timed out"}'
    where name = ${QUEUES.revocationDispatch} and data->>'revocationId' = ${revocationId}`);

const auditsOf = (grantId: string, action: string) =>
  testDb
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityId, grantId), eq(auditEvents.action, action)));
/** The app owner and every active admin (earlier tests made more) are told, each once. */
function expectToldOnce(recipientIds: string[], mustInclude: string[]) {
  expect(recipientIds).toEqual(expect.arrayContaining(mustInclude));
  expect(new Set(recipientIds).size).toBe(recipientIds.length);
}
const twoSweeps = () => Promise.all([sweepStalledRevocations(deps), sweepStalledRevocations(deps)]);

describe("the stuck-work sweep, before any worker runs", () => {
  it("fails a revocation whose worker died on its final attempt, with the error and the alert, exactly once across two sweeps", async () => {
    const s = await scimScenario();
    const { revocationId } = await revoke(deps, s.grant.id);
    // The crash leaves it dispatched (the PATCH may have gone out), three tries used, the fourth's job expired.
    await testDb
      .update(revocations)
      .set({ status: "dispatched", dispatchedAt: deps.now(), attempts: MAX_ATTEMPTS - 1, connectorKind: "scim" })
      .where(eq(revocations.id, revocationId));
    await expireFinalTry(revocationId);

    // Inside the lease nothing is touched: the state may be mid-change.
    expect(await sweepStalledRevocations(deps)).toEqual({ resumed: 0, resent: 0, failed: 0 });
    expect((await revocationOf(testDb, revocationId)).status).toBe("dispatched");

    offset += REVOCATION_LEASE_MS + 60_000;
    const results = await twoSweeps();
    expect(results.reduce((n, r) => n + r.failed, 0)).toBe(1);
    expect(await settleStalledRevocation(deps, { revocationId })).toBeNull();
    const failed = await revocationOf(testDb, revocationId);
    expect(failed).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(failed.lastError).toMatch(/worker stopped after sending the removal .* no attempts are left \(4 of 4\)/);
    // Never shown as gone, and said once to the owner and the admin.
    expect((await grantOf(testDb, s.grant.id)).status).toBe("pending_revocation");
    expect(await auditsOf(s.grant.id, "revocation.failed")).toHaveLength(1);
    const told = await testDb
      .select({ recipientId: notifications.recipientId })
      .from(notifications)
      .where(and(eq(notifications.kind, "revocation.failed"), sql`${notifications.dedupeKey} like ${`%${revocationId}%`}`));
    expectToldOnce(
      told.map((n) => n.recipientId),
      [s.owner.id, s.admin.id],
    );
    expect((await attemptsOf(testDb, revocationId)).filter((a) => a.phase === "sweep")).toHaveLength(1);
    // A second pass finds nothing more to do.
    expect(await sweepStalledRevocations(deps)).toEqual({ resumed: 0, resent: 0, failed: 0 });
  });

  it("leaves alone a revocation whose job is still waiting, and a manual one waiting for its owner", async () => {
    const scim = await scimScenario();
    const queued = await revoke(deps, scim.grant.id);
    const manual = await revocationScenario(testDb, { connectorKind: "manual" });
    const task = await revoke(deps, manual.grant.id);
    await testDb.update(revocations).set({ status: "dispatched", dispatchedAt: deps.now(), attempts: 1, connectorKind: "manual" }).where(eq(revocations.id, task.revocationId));
    await testDb.execute(sql`delete from pgboss.job where name = ${QUEUES.revocationDispatch} and data->>'revocationId' = ${task.revocationId}`);
    offset += REVOCATION_LEASE_MS + 60_000;
    await sweepStalledRevocations(deps);
    expect((await revocationOf(testDb, queued.revocationId)).status).toBe("requested");
    expect(await jobsOf(queued.revocationId)).toHaveLength(1);
    expect(await revocationOf(testDb, task.revocationId)).toMatchObject({ status: "dispatched", attempts: 1, lastError: null });
  });

  it("re-enqueues a revocation whose job was lost while attempts remain, once across two sweeps, with only the tries left", async () => {
    const s = await scimScenario();
    const { revocationId } = await revoke(deps, s.grant.id);
    // The worker's PATCH reached the target, then it died and the job is gone.
    server.store.groups.get(s.group.id)!.members = [];
    await testDb.update(revocations).set({ status: "dispatched", dispatchedAt: deps.now(), attempts: 1, connectorKind: "scim" }).where(eq(revocations.id, revocationId));
    await testDb.execute(sql`delete from pgboss.job where name = ${QUEUES.revocationDispatch} and data->>'revocationId' = ${revocationId}`);
    offset += REVOCATION_LEASE_MS + 60_000;

    const results = await twoSweeps();
    expect(results.reduce((n, r) => n + r.resumed, 0)).toBe(1);
    // A sweep that listed it before the first one committed finds it taken care of.
    expect(await settleStalledRevocation(deps, { revocationId })).toBeNull();
    const jobs = await jobsOf(revocationId);
    expect(jobs).toHaveLength(1);
    // The lost run was attempt 2 of 4: the new job may run twice (once and one retry).
    expect(jobs[0]).toMatchObject({ state: "created", retry_limit: 1 });
    expect(await revocationOf(testDb, revocationId)).toMatchObject({ status: "dispatched", attempts: 2 });
    expect(await auditsOf(s.grant.id, "revocation.resumed")).toHaveLength(1);
    resumedLater = { revocationId, grantId: s.grant.id, groupId: s.group.id };
  });
});

let resumedLater: { revocationId: string; grantId: string; groupId: string } | null = null;

describe("with the worker running", () => {
  beforeAll(async () => {
    await workRevocations(deps, { concurrency: 2 });
  });

  it("the resumed job finishes the revocation once, without sending the removal again", async () => {
    const { revocationId, grantId, groupId } = resumedLater!;
    const done = await settledRevocation(testDb, revocationId);
    expect(done).toMatchObject({ status: "verified", verification: "read_back", attempts: 3 });
    expect(server.requests.filter((r) => r.method === "PATCH" && r.path.includes(groupId))).toHaveLength(0);
    expect(await auditsOf(grantId, "revocation.verified")).toHaveLength(1);
    expect((await grantOf(testDb, grantId)).status).toBe("revoked");
  });

  it("a webhook receiver that never calls back gets the same event again after the SLA, up to the limit, then it fails", async () => {
    const receiver = await startReceiver(() => ({ status: 202 }));
    try {
      const s = await revocationScenario(testDb, { connectorKind: "webhook", config: { url: receiver.url }, secret: SECRET });
      const { revocationId } = await revoke(deps, s.grant.id);
      const idle = async (sends: number) =>
        waitFor(async () => {
          const live = (await jobsOf(revocationId)).filter((j) => ["created", "retry", "active"].includes(j.state));
          return receiver.received.length === sends && live.length === 0 && (await revocationOf(testDb, revocationId)).attempts === sends;
        });
      await idle(1);
      // Accepted but unconfirmed: visible as applied, not verified, and left alone within the SLA (24 h).
      expect((await revocationOf(testDb, revocationId)).status).toBe("applied");
      offset += 23 * HOUR;
      expect(await sweepStalledRevocations(deps)).toEqual({ resumed: 0, resent: 0, failed: 0 });
      offset += 2 * HOUR;

      for (let sends = 2; sends <= MAX_ATTEMPTS; sends++) {
        const results = await twoSweeps();
        expect(results.reduce((n, r) => n + r.resent, 0)).toBe(1);
        expect(await settleStalledRevocation(deps, { revocationId })).toBeNull();
        await idle(sends);
        const row = await revocationOf(testDb, revocationId);
        expect(row.status).toBe("applied");
        expect(row.lastError).toMatch(/No callback .* within 24 h .*; sending the event again/);
        offset += 25 * HOUR;
      }
      // Every send is the same event: same webhook-id, idempotency key and body, so the receiver de-duplicates.
      const first = receiver.received[0]!;
      for (const again of receiver.received.slice(1)) {
        expect(again.headers["webhook-id"]).toBe(revocationId);
        expect(again.headers["idempotency-key"]).toBe(first.headers["idempotency-key"]);
        expect(again.body).toBe(first.body);
      }
      expect(await auditsOf(s.grant.id, "revocation.resent")).toHaveLength(MAX_ATTEMPTS - 1);

      const results = await twoSweeps();
      expect(results.reduce((n, r) => n + r.failed, 0)).toBe(1);
      const failed = await revocationOf(testDb, revocationId);
      expect(failed.status).toBe("failed");
      expect(failed.lastError).toMatch(/The receiver never confirmed the removal.*after 4 attempts/);
      expect(receiver.received).toHaveLength(MAX_ATTEMPTS);
      expect((await grantOf(testDb, s.grant.id)).status).toBe("pending_revocation");
      const told = await testDb
        .select({ recipientId: notifications.recipientId })
        .from(notifications)
        .where(and(eq(notifications.kind, "revocation.failed"), sql`${notifications.dedupeKey} like ${`%${revocationId}%`}`));
      expectToldOnce(
        told.map((n) => n.recipientId),
        [s.owner.id, s.admin.id],
      );
    } finally {
      await receiver.close();
    }
  });

  it("a grant that ran out ends as expired, one taken away as revoked, and the grant list tells them apart", async () => {
    const timed = await scimScenario("time_bound");
    const taken = await scimScenario();
    offset += 2 * 24 * HOUR;
    await expireDueGrants(deps);
    const [expiry] = await testDb.select().from(revocations).where(eq(revocations.grantId, timed.grant.id));
    expect(expiry!.cause).toBe("expiry");
    const { revocationId } = await testDb.transaction((tx) => requestRevocation(deps, tx, { grantId: taken.grant.id, cause: "admin", causeRef: "sweep-test", actor: SYSTEM_ACTOR }));
    await settledRevocation(testDb, expiry!.id);
    await settledRevocation(testDb, revocationId);

    expect(await grantOf(testDb, timed.grant.id)).toMatchObject({ status: "expired", liveState: "absent" });
    expect((await grantOf(testDb, taken.grant.id)).status).toBe("revoked");
    const [verified] = await auditsOf(timed.grant.id, "revocation.verified");
    expect(verified!.after).toMatchObject({ status: "expired" });

    const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
    const expired = await browseGrants(deps, admin, { identityId: timed.holder.id, status: "expired" });
    expect(expired.rows.map((g) => [g.id, g.revocationStatus])).toEqual([[timed.grant.id, "verified"]]);
    expect((await browseGrants(deps, admin, { identityId: timed.holder.id, status: "revoked" })).rows).toHaveLength(0);
    expect((await browseGrants(deps, admin, { identityId: taken.holder.id, status: "revoked" })).rows.map((g) => g.id)).toEqual([taken.grant.id]);
  });
});
