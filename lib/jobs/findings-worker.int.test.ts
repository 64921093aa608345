/**
 * Findings recomputes asked for by a change: queued in the change's transaction (only a change
 * that commits asks), and, unlike the scheduled run, not dropped when another recompute holds
 * the lock: retried until it runs.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/domain/access/actor";
import { createSodRule, deleteSodRule, updateSodRule } from "@/lib/domain/sod/manage-rules";
import { actorFor, makeApplication, makeEntitlement, makePerson } from "@/lib/testing/factories";
import { waitFor } from "@/lib/testing/revocation-scenario";
import { testDb, testDeps, testJobs } from "@/lib/testing/test-db";
import { QUEUES } from "./queue";
import { startWorkers } from "./workers";

const askedBySodRules = async () => {
  const [row] = await testDb.execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.findingsRecompute} and data->>'cause' = 'sod_rule'`);
  return row!.n;
};
const jobState = async (id: string) => {
  const [row] = await testDb.execute<{ state: string; retry_count: number }>(sql`select state::text as state, retry_count from pgboss.job where id = ${id}::uuid`);
  return row;
};

let admin: Actor;
let entitlementIds: string[];

beforeAll(async () => {
  await testJobs.boss();
  admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
  const app = await makeApplication(testDb, { name: "Payments (recompute test)" });
  entitlementIds = [(await makeEntitlement(testDb, { applicationId: app.id, name: "initiate" })).id, (await makeEntitlement(testDb, { applicationId: app.id, name: "release" })).id];
});

describe("findings recompute after a SoD rule change", () => {
  it("is queued by every change that commits, and by none that is refused or changes nothing", async () => {
    const deps = testDeps();
    const before = await askedBySodRules();
    const { ruleId } = await createSodRule(deps, admin, { name: "Initiate and release payments", description: "", severity: "high", entitlementIds });
    expect(await askedBySodRules()).toBe(before + 1);

    await expect(createSodRule(deps, admin, { name: "One is not a rule", description: "", severity: "high", entitlementIds: [entitlementIds[0]!] })).rejects.toThrow();
    await updateSodRule(deps, admin, { ruleId, name: "Initiate and release payments", description: "", severity: "high", entitlementIds });
    expect(await askedBySodRules()).toBe(before + 1);

    await updateSodRule(deps, admin, { ruleId, name: "Initiate and release payments", description: "", severity: "medium", entitlementIds });
    await deleteSodRule(deps, admin, { ruleId });
    expect(await askedBySodRules()).toBe(before + 3);
  });

  it("runs after a recompute under way instead of standing down as the scheduled run does", async () => {
    let release!: () => void;
    let locked!: () => void;
    const taken = new Promise<void>((resolve) => (locked = resolve));
    // Another recompute holds the lock (the one recomputeFindings takes) until released.
    const running = testDb.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(4202613)`);
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await taken;
    const [audited] = await testDb.execute<{ n: number }>(sql`select count(*)::int as n from audit_events where action = 'findings.recomputed'`);

    await startWorkers(testDeps());
    const boss = await testJobs.boss();
    const scheduled = (await boss.send(QUEUES.findingsRecompute, {}))!;
    const byChange = (await boss.send(QUEUES.findingsRecompute, { cause: "sod_rule" }))!;
    await waitFor(async () => (await jobState(scheduled))?.state === "completed");
    await waitFor(async () => ((await jobState(byChange))?.retry_count ?? 0) >= 1);
    expect((await jobState(byChange))?.state).not.toBe("completed");

    release();
    await running;
    await waitFor(async () => (await jobState(byChange))?.state === "completed");
    const [after] = await testDb.execute<{ n: number }>(sql`select count(*)::int as n from audit_events where action = 'findings.recomputed'`);
    expect(after!.n).toBeGreaterThan(audited!.n);
  });
});
