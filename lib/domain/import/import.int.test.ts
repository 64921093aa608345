import { randomUUID } from "node:crypto";
import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { applicationOwners, auditEvents, entitlements, identities, importBatches, lifecycleEvents } from "@/db/schema";
import { actorFor, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { Forbidden } from "@/lib/errors";
import { cliPrincipal, importFile } from "./batches";
import type { ImportKind } from "./kinds";
import { startImportApply, uploadImport } from "./service";

const deps = testDeps();
const cli = cliPrincipal("test");

/** A source of its own per test, so files in one database never meet. */
const newSource = () => `import:test-${randomUUID().slice(0, 8)}`;

function importCsv(kind: ImportKind, lines: string[], options: { dryRun?: boolean; snapshotApplicationId?: string } = {}) {
  const content = Buffer.from(lines.join("\n") + "\n");
  return importFile(deps, cli, { kind, filename: `${kind}.csv`, content, snapshotApplicationId: options.snapshotApplicationId }, { dryRun: options.dryRun });
}

const countIdentities = async (source: string) => (await testDb.select({ n: count() }).from(identities).where(eq(identities.source, source)))[0]!.n;

describe("importing identities", () => {
  it("rejects the whole file when its last row is bad, lists the error by row and column, and writes nothing", async () => {
    const source = newSource();
    const result = await importCsv("identities", [
      "external_id,source,type,display_name,email,manager_external_id",
      `E1,${source},employee,Ana Lima,ana-${source}@example.com,`,
      `E2,${source},employee,Bo Chen,,E1`,
      `E3,${source},robot,Cy,,`,
    ]);
    expect(result.outcome.ok).toBe(false);
    expect(result.applied).toBe(false);
    if (result.outcome.ok) return;
    expect(result.outcome.errors).toEqual([{ row: 4, column: "type", message: expect.stringContaining('"robot" is not one of: employee') }]);
    expect(await countIdentities(source)).toBe(0);
    const [batch] = await testDb.select().from(importBatches).where(eq(importBatches.id, result.batchId));
    expect(batch).toMatchObject({ status: "invalid", errorCount: 1, totalRows: 3 });
    expect(batch!.content.length).toBe(0);
  });

  it("resolves managers and owners within the same file, and re-importing the same file changes nothing", async () => {
    const source = newSource();
    const lines = [
      "external_id,source,type,display_name,department,manager_external_id,owner_external_id,status",
      // The report comes before the manager: order in the file does not matter.
      `E2,${source},employee,Bo Chen,Finance,E1,,active`,
      `E1,${source},employee,Ana Lima,Finance,,,`,
      `SVC1,${source},service_account,payroll-bot,,,E2,`,
    ];
    const first = await importCsv("identities", lines);
    expect(first.outcome).toMatchObject({ ok: true, summary: { counts: [{ entity: "identities", create: 3, update: 0, unchanged: 0 }] } });
    const rows = await testDb.select().from(identities).where(eq(identities.source, source));
    const byId = new Map(rows.map((r) => [r.externalId, r]));
    expect(byId.get("E2")!.managerId).toBe(byId.get("E1")!.id);
    expect(byId.get("SVC1")).toMatchObject({ kind: "non_human", ownerId: byId.get("E2")!.id, managerId: null });
    const joiners = await testDb
      .select({ n: count() })
      .from(lifecycleEvents)
      .where(and(eq(lifecycleEvents.identityId, byId.get("E1")!.id), eq(lifecycleEvents.kind, "joiner")));
    expect(joiners[0]!.n).toBe(1);

    const again = await importCsv("identities", lines);
    expect(again.outcome).toMatchObject({ ok: true, summary: { counts: [{ entity: "identities", create: 0, update: 0, unchanged: 3 }] } });
    const [audit] = await testDb
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "import.applied"), eq(auditEvents.entityId, again.batchId)));
    expect(audit).toMatchObject({ actorKind: "system", actorLabel: "cli:test", entityType: "import_batch" });
    expect(audit!.after).toMatchObject({ kind: "identities", rows: 3, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), counts: [{ unchanged: 3 }] });
  });

  it("updates only what changed, reports a manager that is in neither the file nor the source, and records movers", async () => {
    const source = newSource();
    await importCsv("identities", ["external_id,source,type,display_name,department", `A,${source},employee,Ann,Sales`, `B,${source},employee,Ben,Sales`]);
    const bad = await importCsv("identities", ["external_id,source,type,display_name,manager_external_id", `A,${source},employee,Ann,NOPE`]);
    expect(bad.outcome).toMatchObject({ ok: false, errors: [{ row: 2, column: "manager_external_id", message: expect.stringContaining('"NOPE"') }] });
    // department is left out of this file, so it is left alone.
    const moved = await importCsv("identities", ["external_id,source,type,display_name,manager_external_id", `A,${source},employee,Ann,B`, `B,${source},employee,Ben,`]);
    expect(moved.outcome).toMatchObject({ ok: true, summary: { counts: [{ create: 0, update: 1, unchanged: 1 }] } });
    const [ann] = await testDb
      .select()
      .from(identities)
      .where(and(eq(identities.source, source), eq(identities.externalId, "A")));
    expect(ann!.department).toBe("Sales");
    const movers = await testDb
      .select()
      .from(lifecycleEvents)
      .where(and(eq(lifecycleEvents.identityId, ann!.id), eq(lifecycleEvents.kind, "mover")));
    expect(movers).toHaveLength(1);
  });

  it("refuses an email that belongs to another identity, and duplicate keys, naming both rows", async () => {
    const source = newSource();
    const existing = await makePerson(testDb);
    const result = await importCsv("identities", [
      "external_id,source,type,display_name,email",
      `A,${source},employee,Ann,${existing.email!.toUpperCase()}`,
      `B,${source},employee,Ben,`,
      `B,${source},employee,Ben again,`,
    ]);
    expect(result.outcome.ok).toBe(false);
    if (result.outcome.ok) return;
    expect(result.outcome.errors.map((e) => [e.row, e.column])).toEqual([
      [2, "email"],
      [4, "external_id"],
    ]);
    expect(result.outcome.errors[1]!.message).toContain("first on row 3");
  });
});

describe("importing applications, entitlements and grants", () => {
  async function setUp() {
    const source = newSource();
    const app = `App ${source}`;
    await importCsv("identities", ["external_id,source,type,display_name", `O,${source},employee,Owner`, `U1,${source},employee,User 1`, `U2,${source},employee,User 2`]);
    const apps = await importCsv("applications", ["external_id,source,name,risk_tier,owner_external_ids,identity_source", `X,${source},${app},high,O,${source}`]);
    expect(apps.applied).toBe(true);
    const ents = await importCsv("entitlements", ["application,name,privileged,owner_external_id,identity_source", `${app},admin,yes,O,${source}`, `${app},reader,,,${source}`]);
    expect(ents.outcome).toMatchObject({ ok: true, summary: { counts: [{ entity: "entitlements", create: 2 }] } });
    return { source, app };
  }

  it("links owners and privileged flags, and a snapshot marks live grants missing from the file absent", async () => {
    const { source, app } = await setUp();
    const [application] = await testDb.execute<{ id: string }>(sql`select id from applications where name = ${app}`);
    expect((await testDb.select({ n: count() }).from(applicationOwners).where(eq(applicationOwners.applicationId, application!.id)))[0]!.n).toBe(1);
    const [admin] = await testDb
      .select()
      .from(entitlements)
      .where(and(eq(entitlements.applicationId, application!.id), eq(entitlements.name, "admin")));
    expect(admin!.privileged).toBe(true);

    const header = "identity_external_id,identity_source,application,entitlement,kind";
    const granted = await importCsv("grants", [header, `U1,${source},${app},admin,standing`, `U2,${source},${app},reader,standing`]);
    expect(granted.outcome).toMatchObject({ ok: true, summary: { counts: [{ create: 2 }] } });

    // The target system now only shows U1's admin grant, plus a new one for U2.
    const snapshot = await importCsv("grants", [header, `U1,${source},${app},admin,standing`, `U2,${source},${app},admin,standing`], { snapshotApplicationId: application!.id });
    expect(snapshot.outcome).toMatchObject({ ok: true, summary: { counts: [{ create: 1, unchanged: 1 }], snapshot: { present: 2, absent: 1, newlyAbsent: 1 } } });
    const states = await testDb.execute<{ ext: string; name: string; live_state: string; live_checked_at: Date | null }>(sql`
      select i.external_id as ext, e.name, g.live_state, g.live_checked_at from grants g
      join identities i on i.id = g.identity_id join entitlements e on e.id = g.entitlement_id
      where e.application_id = ${application!.id} order by 1, 2`);
    expect(states.map((s) => [s.ext, s.name, s.live_state])).toEqual([
      ["U1", "admin", "present"],
      ["U2", "admin", "present"],
      ["U2", "reader", "absent"],
    ]);
    expect(states.every((s) => s.live_checked_at)).toBe(true);
  });

  it("refuses snapshot rows of another application and unknown entitlements, by row and column", async () => {
    const { source, app } = await setUp();
    const [application] = await testDb.execute<{ id: string }>(sql`select id from applications where name = ${app}`);
    const result = await importCsv(
      "grants",
      ["identity_external_id,identity_source,application,entitlement", `U1,${source},${app},nope`, `U1,${source},Elsewhere,admin`, `ZZ,${source},${app},admin`],
      { snapshotApplicationId: application!.id },
    );
    expect(result.outcome.ok).toBe(false);
    if (result.outcome.ok) return;
    expect(result.outcome.errors.map((e) => [e.row, e.column])).toEqual([
      [2, "entitlement"],
      [3, "application"],
      [4, "identity_external_id"],
    ]);
  });
});

describe("who may import", () => {
  it("refuses anyone but an admin, and an admin's upload is previewed then applied once", async () => {
    const employee = await actorFor(testDb, (await makePerson(testDb)).id);
    const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
    const adminRow = await makePerson(testDb, { roles: ["admin"] });
    const admin = await actorFor(testDb, adminRow.id);
    const source = newSource();
    const content = Buffer.from(`external_id,source,type,display_name\nA,${source},employee,Ann\n`);
    for (const actor of [employee, auditor]) {
      await expect(uploadImport(deps, actor, { kind: "identities", filename: "a.csv", content })).rejects.toBeInstanceOf(Forbidden);
    }
    const { batchId, outcome } = await uploadImport(deps, admin, { kind: "identities", filename: "a.csv", content });
    expect(outcome).toMatchObject({ ok: true, summary: { counts: [{ create: 1 }] } });
    await expect(startImportApply(deps, employee, { batchId })).rejects.toBeInstanceOf(Forbidden);
    const { run } = await startImportApply(deps, admin, { batchId });
    await expect(startImportApply(deps, admin, { batchId })).rejects.toThrow(/not waiting/);
    expect(await run()).toMatchObject({ ok: true });
    expect(await countIdentities(source)).toBe(1);
    const [batch] = await testDb.select().from(importBatches).where(eq(importBatches.id, batchId));
    expect(batch).toMatchObject({ status: "applied", processedRows: 1, createdById: admin.id });

    // As with the status screen, nobody suspends themselves: it could lock the last admin out.
    const self = Buffer.from(`external_id,source,type,display_name,status\n${adminRow.externalId},test,employee,Me,suspended\n`);
    const refused = await uploadImport(deps, admin, { kind: "identities", filename: "me.csv", content: self });
    expect(refused.outcome).toMatchObject({ ok: false, errors: [{ row: 2, column: "status", message: expect.stringContaining("this is you") }] });
  });
});
