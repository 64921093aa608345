import { randomUUID } from "node:crypto";
import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, identities, importBatches } from "@/db/schema";
import { Conflict } from "@/lib/errors";
import { actorFor, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { startImportApply, uploadImport } from "./service";
import { ABANDONED_IMPORT, IMPORT_APPLY_LEASE_MS, sweepStuckImports } from "./sweep";

/** The test clock: the claim and the sweep read deps.now(), and a test moves it past the lease. */
let offset = 0;
const deps = testDeps(() => new Date(Date.now() + offset));

/** An admin's checked upload of one new identity, claimed for applying as the web action does; `run` is what after() would do. */
async function claimedImport() {
  const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
  const source = `import:stuck-${randomUUID().slice(0, 8)}`;
  const content = Buffer.from(`external_id,source,type,display_name\nS1,${source},employee,Sam Stuck\n`);
  const { batchId, outcome } = await uploadImport(deps, admin, { kind: "identities", filename: "people.csv", content });
  expect(outcome.ok).toBe(true);
  const { run } = await startImportApply(deps, admin, { batchId });
  return { batchId, run, source };
}

const batchOf = async (batchId: string) => (await testDb.select().from(importBatches).where(eq(importBatches.id, batchId)))[0]!;
const imported = async (source: string) => (await testDb.select({ n: count() }).from(identities).where(eq(identities.source, source)))[0]!.n;

/** True while some transaction holds the batch's apply lock (tried and let go at once). */
const applyRunning = async (batchId: string) =>
  testDb.transaction(async (tx) => {
    const [row] = await tx.execute<{ free: boolean }>(sql`select pg_try_advisory_xact_lock(hashtextextended(${`accord.import-apply:${batchId}`}, 0)) as free`);
    return !row!.free;
  });

describe("imports left applying by a server that stopped", () => {
  it("are marked failed after the lease, once across two sweeps, audited, with nothing written; a late apply is refused", async () => {
    const { batchId, run, source } = await claimedImport();
    // The server dies before after() runs (or mid-apply: the transaction rolls back with the connection).
    expect(await sweepStuckImports(deps)).toBe(0);
    expect((await batchOf(batchId)).status).toBe("applying");

    offset += IMPORT_APPLY_LEASE_MS + 60_000;
    const [a, b] = await Promise.all([sweepStuckImports(deps), sweepStuckImports(deps)]);
    expect(a + b).toBe(1);
    const batch = await batchOf(batchId);
    expect(batch.status).toBe("failed");
    expect(batch.summary).toMatchObject({ failure: ABANDONED_IMPORT });
    expect(ABANDONED_IMPORT).toBe("The server stopped while applying; nothing was written, import it again.");
    const audits = await testDb
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, batchId), eq(auditEvents.action, "import.failed")));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorKind: "system", reason: ABANDONED_IMPORT });
    expect(await imported(source)).toBe(0);

    // An apply that wakes up after the sweep gave the batch up must not write it.
    await expect(run()).rejects.toBeInstanceOf(Conflict);
    expect(await imported(source)).toBe(0);
    expect(await batchOf(batchId)).toMatchObject({ status: "failed", summary: expect.objectContaining({ failure: ABANDONED_IMPORT }) });
  });

  it("leaves a running apply alone however long it takes, even while it waits for another import", async () => {
    const { batchId, run, source } = await claimedImport();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // Another import holds the import lock, so this apply waits inside its transaction.
    const otherImport = testDb.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(4202613)`);
      await released;
    });
    const applying = run();
    const deadline = Date.now() + 20_000;
    while (!(await applyRunning(batchId))) {
      if (Date.now() > deadline) throw new Error("the apply never started");
      await new Promise((r) => setTimeout(r, 50));
    }

    offset += 2 * IMPORT_APPLY_LEASE_MS;
    expect(await sweepStuckImports(deps)).toBe(0);
    expect((await batchOf(batchId)).status).toBe("applying");

    release();
    await otherImport;
    expect(await applying).toMatchObject({ ok: true });
    expect((await batchOf(batchId)).status).toBe("applied");
    expect(await imported(source)).toBe(1);
  });
});
