import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { importBatches, revocations } from "@/db/schema";
import { cliPrincipal, claimForApply, createImportBatch } from "@/lib/domain/import/batches";
import { IMPORT_APPLY_LEASE_MS } from "@/lib/domain/import/sweep";
import { REVOCATION_LEASE_MS } from "@/lib/domain/revocations/sweep";
import { revocationOf, revocationScenario, revoke, waitFor } from "@/lib/testing/revocation-scenario";
import { testDb, testDeps, testJobs } from "@/lib/testing/test-db";
import { QUEUES } from "./queue";
import { startWorkers } from "./workers";

it("runs the stuck-work sweep from the queue: scheduled with the others, it settles stalled revocations and abandoned imports", async () => {
  const past = testDeps(() => new Date(Date.now() - 2 * Math.max(REVOCATION_LEASE_MS, IMPORT_APPLY_LEASE_MS)));
  // A revocation whose worker died on its final try, and an import whose server died mid-apply, both a while ago.
  const s = await revocationScenario(testDb, { connectorKind: "scim", config: { baseUrl: "http://127.0.0.1:9/scim/v2" }, secret: "t0ken-stuck", entitlementExternalId: "g1" });
  const { revocationId } = await revoke(past, s.grant.id);
  await testDb.update(revocations).set({ status: "dispatched", dispatchedAt: past.now(), attempts: 99 }).where(eq(revocations.id, revocationId));
  await testDb.execute(sql`update pgboss.job set state = 'failed', completed_on = now() where name = ${QUEUES.revocationDispatch} and data->>'revocationId' = ${revocationId}`);
  const batchId = await createImportBatch(past, cliPrincipal("test"), {
    kind: "identities",
    filename: "stuck.csv",
    content: Buffer.from("external_id,source,type,display_name\nX1,test,employee,X\n"),
  });
  await claimForApply(past, batchId, "uploaded");

  await startWorkers(testDeps());
  const boss = await testJobs.boss();
  expect((await boss.getSchedules()).map((schedule) => schedule.name)).toContain(QUEUES.stuckWorkSweep);
  await boss.send(QUEUES.stuckWorkSweep, {});
  await waitFor(async () => (await revocationOf(testDb, revocationId)).status === "failed");
  await waitFor(async () => (await testDb.select().from(importBatches).where(eq(importBatches.id, batchId)))[0]!.status === "failed");
});
