import { count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { connect } from "@/db/client";
import { auditEvents, identities } from "@/db/schema";
import { actorFor, makeApplication, makeEntitlement, makePerson } from "@/lib/testing/factories";
import { testDatabaseUrl, testDb, testDeps } from "@/lib/testing/test-db";
import { setEntitlementPrivileged } from "@/lib/domain/entitlements/set-privileged";
import { setIdentityStatus } from "@/lib/domain/identities/set-status";
import { rejectionMessages } from "@/lib/testing/errors";
import { recordAudit } from "./record-audit";
import { verifyAuditChain } from "./verify-chain";

const system = { kind: "system" as const, id: null, label: "test" };

describe("recordAudit", () => {
  it("writes the audit row in the same transaction as the change it describes", async () => {
    const owner = await makePerson(testDb);
    const app = await makeApplication(testDb, { ownerIds: [owner.id] });
    const entitlement = await makeEntitlement(testDb, { applicationId: app.id });
    await setEntitlementPrivileged(testDeps(), await actorFor(testDb, owner.id), { entitlementId: entitlement.id, privileged: true });

    const [row] = await testDb.select().from(auditEvents).where(eq(auditEvents.entityId, entitlement.id));
    expect(row).toMatchObject({ action: "entitlement.privileged_changed", actorId: owner.id, before: { privileged: false }, after: { privileged: true } });
    // Both rows were written by one transaction: PostgreSQL stamps them with the same xmin.
    const [xids] = await testDb.execute<{ same: boolean }>(sql`
      select (select xmin::text from entitlements where id = ${entitlement.id}) = (select xmin::text from audit_events where entity_id = ${entitlement.id}) as same`);
    expect(xids!.same).toBe(true);
  });

  it("fails closed: when the audit insert fails, the change does not happen", async () => {
    const admin = await makePerson(testDb, { roles: ["admin"] });
    const target = await makePerson(testDb);
    const before = await testDb.select({ n: count() }).from(auditEvents);
    // One connection with the test trigger armed for its session only.
    const armed = connect(testDatabaseUrl, { max: 1 });
    await armed.db.execute(sql`set accord.fail_audit = 'on'`);
    try {
      const attempt = setIdentityStatus({ ...testDeps(), db: armed.db }, await actorFor(testDb, admin.id), { identityId: target.id, status: "suspended", reason: "test" });
      expect(await rejectionMessages(attempt)).toMatch(/audit insert failed/);
    } finally {
      await armed.close();
    }
    const [still] = await testDb.select({ status: identities.status }).from(identities).where(eq(identities.id, target.id));
    expect(still!.status).toBe("active");
    expect(await testDb.select({ n: count() }).from(auditEvents)).toEqual(before);
  });

  it("refuses UPDATE, DELETE and TRUNCATE on the trail", async () => {
    await testDb.transaction((tx) => recordAudit(tx, { actor: system, action: "test.event", entityType: "test", entityId: "1", at: new Date() }));
    expect(await rejectionMessages(testDb.execute(sql`update audit_events set action = 'x'`))).toMatch(/append-only/);
    expect(await rejectionMessages(testDb.execute(sql`delete from audit_events`))).toMatch(/append-only/);
    expect(await rejectionMessages(testDb.execute(sql`truncate audit_events`))).toMatch(/append-only/);
  });

  it("keeps one linear chain under concurrent writers", async () => {
    const writers = Array.from({ length: 8 }, () => connect(testDatabaseUrl, { max: 1 }));
    try {
      await Promise.all(
        writers.map((w, i) =>
          (async () => {
            for (let n = 0; n < 25; n++) {
              await w.db.transaction((tx) => recordAudit(tx, { actor: system, action: "test.concurrent", entityType: "writer", entityId: `${i}-${n}`, at: new Date() }));
            }
          })(),
        ),
      );
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
    const report = await verifyAuditChain(testDb, { pageSize: 37 });
    expect(report.ok).toBe(true);
    expect(report.checked).toBeGreaterThanOrEqual(200);
  });

  it("lets the verifier name the first edited or deleted row", async () => {
    for (let n = 0; n < 5; n++) {
      await testDb.transaction((tx) => recordAudit(tx, { actor: system, action: "test.tamper", entityType: "t", entityId: String(n), at: new Date() }));
    }
    expect((await verifyAuditChain(testDb)).ok).toBe(true);
    const rows = await testDb.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.action, "test.tamper")).orderBy(auditEvents.id);
    // Only a superuser who disables the triggers can do this; the chain still gives them away.
    await testDb.execute(sql`alter table audit_events disable trigger user`);
    await testDb.execute(sql`update audit_events set entity_id = 'forged' where id = ${rows[1]!.id}`);
    expect((await verifyAuditChain(testDb)).brokenAt).toMatchObject({ id: rows[1]!.id, reason: "hash_mismatch" });
    await testDb.execute(sql`delete from audit_events where id = ${rows[1]!.id}`);
    expect((await verifyAuditChain(testDb)).brokenAt).toMatchObject({ id: rows[2]!.id, reason: "prev_hash_mismatch" });
    await testDb.execute(sql`alter table audit_events enable trigger user`);
  });
});
