import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts, grants, identities, importBatches } from "@/db/schema";
import { makeApplication, makeEntitlement, makeGrant, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { cliPrincipal, importFile } from "./batches";
import type { ImportFormat, ImportKind } from "./kinds";

const deps = testDeps();
const newSource = () => `import:kinds-${randomUUID().slice(0, 8)}`;

function importText(kind: ImportKind, text: string, options: { dryRun?: boolean; format?: ImportFormat } = {}) {
  return importFile(deps, cliPrincipal("test"), { kind, filename: `${kind}.${options.format ?? "csv"}`, format: options.format, content: Buffer.from(text) }, options);
}

describe("import formats and kinds", () => {
  it("a dry run reports what would change and writes nothing", async () => {
    const source = newSource();
    const result = await importText("identities", `external_id,source,type,display_name\nA,${source},employee,Ann\n`, { dryRun: true });
    expect(result).toMatchObject({ applied: false, outcome: { ok: true, summary: { counts: [{ create: 1 }] } } });
    expect(await testDb.select().from(identities).where(eq(identities.source, source))).toEqual([]);
    const [batch] = await testDb.select({ status: importBatches.status }).from(importBatches).where(eq(importBatches.id, result.batchId));
    expect(batch!.status).toBe("previewed");
  });

  it("imports JSON like CSV, owners of non-human identities included", async () => {
    const source = newSource();
    const json = JSON.stringify([
      { external_id: "H1", source, type: "employee", display_name: "Human One", status: "active" },
      { external_id: "K1", source, type: "api_key", display_name: "deploy key", owner_external_id: "H1", description: "CI deploys" },
    ]);
    const result = await importText("identities", json, { format: "json" });
    expect(result.outcome).toMatchObject({ ok: true, summary: { counts: [{ create: 2 }] } });
    const [key] = await testDb
      .select()
      .from(identities)
      .where(and(eq(identities.source, source), eq(identities.externalId, "K1")));
    expect(key).toMatchObject({ kind: "non_human", type: "api_key", description: "CI deploys" });
  });

  it("imports accounts, orphans included, and grants carried by an account", async () => {
    const source = newSource();
    await importText("identities", `external_id,source,type,display_name\nU,${source},employee,User\n`);
    const app = await makeApplication(testDb);
    await makeEntitlement(testDb, { applicationId: app.id, name: "dba" });
    const result = await importText("accounts", `application,username,identity_external_id,identity_source,status\n${app.name},u.one,U,${source},\n${app.name},ghost,,,disabled\n`);
    expect(result.outcome).toMatchObject({ ok: true, summary: { counts: [{ entity: "accounts", create: 2 }] } });
    const rows = await testDb.select().from(accounts).where(eq(accounts.applicationId, app.id));
    expect(rows.find((a) => a.username === "ghost")).toMatchObject({ identityId: null, status: "disabled" });

    const grant = await importText(
      "grants",
      `identity_external_id,identity_source,application,entitlement,kind,account_username,expires_at\nU,${source},${app.name},dba,time_bound,U.ONE,2031-01-01\n`,
    );
    expect(grant.outcome).toMatchObject({ ok: true, summary: { counts: [{ create: 1 }] } });
    const [row] = await testDb.execute<{ account_id: string; expires_at: Date; source: string }>(sql`
      select g.account_id, g.expires_at, g.source from grants g join entitlements e on e.id = g.entitlement_id where e.application_id = ${app.id}`);
    expect(row).toMatchObject({ account_id: rows.find((a) => a.username === "u.one")!.id, source: "import" });
  });

  it("leaves grants that came through a request as they are", async () => {
    const person = await makePerson(testDb, { source: "import:req", externalId: `R-${randomUUID().slice(0, 8)}` });
    const app = await makeApplication(testDb);
    const entitlement = await makeEntitlement(testDb, { applicationId: app.id });
    const requested = await makeGrant(testDb, { identityId: person.id, entitlementId: entitlement.id, source: "request", justification: "approved by two people" });
    const result = await importText("grants", `identity_external_id,identity_source,application,entitlement,justification\n${person.externalId},import:req,${app.name},${entitlement.name},\n`);
    expect(result.outcome).toMatchObject({ ok: true, summary: { counts: [{ create: 0, update: 0, unchanged: 1 }] } });
    const [after] = await testDb.select().from(grants).where(eq(grants.id, requested.id));
    expect(after!.justification).toBe("approved by two people");
  });
});
