import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applications, auditEvents, revocations } from "@/db/schema";
import { setEnv } from "@/lib/env";
import { Forbidden, Invalid } from "@/lib/errors";
import { actorFor, makePerson } from "@/lib/testing/factories";
import { revocationScenario, revoke } from "@/lib/testing/revocation-scenario";
import { startScimServer, type ScimServer } from "@/lib/testing/scim-server";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { configureConnector, getConnectorSettings, testConnector } from "./configure-connector";
import { browseRevocations } from "./manage";
import { revokeGrant } from "./revoke-grant";

const deps = testDeps();
const TOKEN = "scim-bearer-for-config-tests-91ab";
let server: ScimServer;

beforeAll(async () => {
  setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "true");
  server = await startScimServer({ token: TOKEN });
});
afterAll(async () => {
  setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "false");
  await server?.close();
});

const base = { kind: "scim" as const, action: "remove_from_group" as const, groupMapping: "", instructions: "", slaHours: 24 };

describe("configuring an application's connector", () => {
  it("stores the settings and seals the secret: never shown back, never in the audit trail", async () => {
    const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
    const s = await revocationScenario(testDb, { connectorKind: "manual" });
    await configureConnector(deps, admin, { ...base, applicationId: s.app.id, baseUrl: server.baseUrl, groupMapping: "prod-admins = g-1\n# comment\nreaders = g-2", secret: TOKEN, slaHours: 4 });

    const [row] = await testDb.select().from(applications).where(eq(applications.id, s.app.id));
    expect(row).toMatchObject({ connectorKind: "scim", revocationSlaHours: 4, connectorConfig: { baseUrl: server.baseUrl, groupMapping: { "prod-admins": "g-1", readers: "g-2" } } });
    expect(row!.connectorSecret).not.toContain(TOKEN);
    const settings = await getConnectorSettings(deps, admin, s.app.id);
    expect(settings).toMatchObject({ kind: "scim", hasSecret: true, groupMapping: "prod-admins = g-1\nreaders = g-2" });
    expect(JSON.stringify(settings)).not.toContain(TOKEN);
    const audit = await testDb.select().from(auditEvents).where(eq(auditEvents.entityId, s.app.id));
    expect(audit.map((a) => a.action)).toEqual(["application.connector_configured"]);
    expect(JSON.stringify(audit)).not.toContain(TOKEN);

    // Saving again without a secret keeps the stored one.
    await configureConnector(deps, admin, { ...base, applicationId: s.app.id, baseUrl: server.baseUrl, slaHours: 8 });
    const [again] = await testDb.select().from(applications).where(eq(applications.id, s.app.id));
    expect(again!.connectorSecret).toBe(row!.connectorSecret);

    expect(await testConnector(deps, admin, { applicationId: s.app.id })).toMatchObject({ ok: true });
    await configureConnector(deps, admin, { ...base, applicationId: s.app.id, baseUrl: server.baseUrl, secret: "the-wrong-token" });
    expect(await testConnector(deps, admin, { applicationId: s.app.id })).toMatchObject({ ok: false, detail: expect.stringContaining("HTTP 401") });
  });

  it("names the field at fault, refuses private targets unless allowed, and refuses everyone but admins", async () => {
    const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
    const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
    const s = await revocationScenario(testDb, { connectorKind: "manual" });
    const owner = await actorFor(testDb, s.owner.id);
    const bad = configureConnector(deps, admin, { ...base, applicationId: s.app.id, baseUrl: server.baseUrl, groupMapping: "no equals sign here", secret: TOKEN });
    await expect(bad).rejects.toMatchObject({ fieldErrors: { groupMapping: [expect.stringContaining("line 1")] } });
    await expect(configureConnector(deps, admin, { ...base, applicationId: s.app.id, baseUrl: server.baseUrl })).rejects.toMatchObject({ fieldErrors: { secret: ["is required"] } });
    setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "false");
    try {
      await expect(configureConnector(deps, admin, { ...base, applicationId: s.app.id, baseUrl: "https://169.254.169.254/scim", secret: TOKEN })).rejects.toBeInstanceOf(Invalid);
    } finally {
      setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "true");
    }
    await expect(configureConnector(deps, owner, { ...base, applicationId: s.app.id, kind: "manual" })).rejects.toBeInstanceOf(Forbidden);
    await expect(configureConnector(deps, auditor, { ...base, applicationId: s.app.id, kind: "manual" })).rejects.toBeInstanceOf(Forbidden);
    await expect(getConnectorSettings(deps, owner, s.app.id)).rejects.toThrow(/not found/);
  });
});

describe("the revocation list", () => {
  it("puts failed and past-SLA revocations first, and scopes app owners to their applications", async () => {
    const a = await revocationScenario(testDb, { connectorKind: "manual" });
    const b = await revocationScenario(testDb, { connectorKind: "manual" });
    // No worker runs in this file: states are set by hand.
    const fresh = await revoke(deps, a.grant.id);
    const failed = await revoke(deps, (await revocationScenario(testDb, { connectorKind: "manual" })).grant.id);
    const overdue = await revoke(deps, b.grant.id);
    await testDb.update(revocations).set({ status: "failed", failedAt: new Date(), lastError: "HTTP 500" }).where(eq(revocations.id, failed.revocationId));
    await testDb
      .update(revocations)
      .set({ slaDueAt: new Date(Date.now() - 3_600_000) })
      .where(eq(revocations.id, overdue.revocationId));

    const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
    const all = await browseRevocations(deps, admin, {});
    const ids = all.rows.map((r) => r.id);
    expect(ids.indexOf(failed.revocationId)).toBeLessThan(ids.indexOf(overdue.revocationId));
    expect(ids.indexOf(overdue.revocationId)).toBeLessThan(ids.indexOf(fresh.revocationId));
    expect((await browseRevocations(deps, admin, { status: "overdue" })).rows.map((r) => r.id)).toEqual([overdue.revocationId]);

    const ownerOfA = await actorFor(testDb, a.owner.id);
    expect((await browseRevocations(deps, ownerOfA, {})).rows.map((r) => r.id)).toEqual([fresh.revocationId]);
    const employee = await actorFor(testDb, (await makePerson(testDb)).id);
    expect((await browseRevocations(deps, employee, {})).rows).toEqual([]);

    // Keyset paging walks the same order across the ranks.
    const first = await browseRevocations(deps, admin, { limit: 1 });
    const second = await browseRevocations(deps, admin, { limit: 1, cursor: first.nextCursor });
    const third = await browseRevocations(deps, admin, { limit: 1, cursor: second.nextCursor });
    expect([...first.rows, ...second.rows, ...third.rows].map((r) => r.id)).toEqual(ids.slice(0, 3));
  });
});

describe("revoking a grant directly", () => {
  it("lets admins and the application's owners revoke with a reason, and nobody else", async () => {
    const s = await revocationScenario(testDb, { connectorKind: "manual" });
    const holder = await actorFor(testDb, s.holder.id);
    const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
    const stranger = await actorFor(testDb, (await makePerson(testDb)).id);
    await expect(revokeGrant(deps, holder, { grantId: s.grant.id, reason: "I want it gone" })).rejects.toBeInstanceOf(Forbidden);
    await expect(revokeGrant(deps, auditor, { grantId: s.grant.id, reason: "Looks wrong" })).rejects.toBeInstanceOf(Forbidden);
    await expect(revokeGrant(deps, stranger, { grantId: s.grant.id, reason: "Looks wrong" })).rejects.toThrow(/not found/);

    const owner = await actorFor(testDb, s.owner.id);
    const { revocationId } = await revokeGrant(deps, owner, { grantId: s.grant.id, reason: "Offboarding ticket HR-1" });
    const [row] = await testDb.select().from(revocations).where(eq(revocations.id, revocationId));
    expect(row).toMatchObject({ cause: "admin", status: "requested", requestedById: s.owner.id });
    const [audit] = await testDb.select().from(auditEvents).where(eq(auditEvents.entityId, s.grant.id));
    expect(audit).toMatchObject({ action: "revocation.requested", actorId: s.owner.id, reason: "Offboarding ticket HR-1" });
    // Already on its way out: not active any more.
    await expect(revokeGrant(deps, owner, { grantId: s.grant.id, reason: "Again please" })).rejects.toBeInstanceOf(Forbidden);
  });
});
