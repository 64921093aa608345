/**
 * Separation-of-duties rules as admins manage them: validation that names the field, the admin
 * check, the audit trail, and what the rules page counts.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, sodRuleEntitlements, sodRules } from "@/db/schema";
import { listSodRules } from "@/db/queries/sod-rules";
import { Forbidden, NotFound } from "@/lib/errors";
import type { Actor } from "@/lib/domain/access/actor";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { createSodRule, deleteSodRule, updateSodRule } from "./manage-rules";
import { findRuleEntitlements, sodRulesPage } from "./views";

const deps = testDeps(() => new Date("2026-12-01T10:00:00Z"));
let admin: Actor;
let ents: { id: string; name: string }[];

const auditFor = (ruleId: string) =>
  testDb
    .select({ action: auditEvents.action, before: auditEvents.before, after: auditEvents.after, actorId: auditEvents.actorId })
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, "sod_rule"), eq(auditEvents.entityId, ruleId)));
const ruleCount = () => testDb.$count(sodRules);

beforeAll(async () => {
  admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
  // Two applications: a rule may span them.
  const ledger = await makeApplication(testDb, { name: "Ledger (sod test)" });
  const payroll = await makeApplication(testDb, { name: "Payroll (sod test)" });
  ents = [
    await makeEntitlement(testDb, { applicationId: ledger.id, name: "Bill clerk" }),
    await makeEntitlement(testDb, { applicationId: ledger.id, name: "Bill approver" }),
    await makeEntitlement(testDb, { applicationId: payroll.id, name: "Payment releaser" }),
    await makeEntitlement(testDb, { applicationId: payroll.id, name: "Payroll viewer" }),
  ];
});

describe("separation-of-duties rules", () => {
  it("an admin creates a rule of three entitlements across two applications; it is audited and listed with who breaks it", async () => {
    const [clerk, approver, releaser] = ents;
    const { ruleId } = await createSodRule(deps, admin, {
      name: "Bills: enter, approve, pay",
      description: "Three people, three steps.",
      severity: "critical",
      entitlementIds: [clerk!.id, approver!.id, releaser!.id],
    });

    const [audit] = await auditFor(ruleId);
    expect(audit).toMatchObject({
      action: "sod_rule.created",
      actorId: admin.id,
      after: { name: "Bills: enter, approve, pay", severity: "critical", entitlements: expect.arrayContaining(["Bill clerk (Ledger (sod test))", "Payment releaser (Payroll (sod test))"]) },
    });

    const breaker = await makePerson(testDb);
    await makeGrant(testDb, { identityId: breaker.id, entitlementId: clerk!.id });
    await makeGrant(testDb, { identityId: breaker.id, entitlementId: releaser!.id, kind: "eligible" });
    const nearMiss = await makePerson(testDb);
    await makeGrant(testDb, { identityId: nearMiss.id, entitlementId: approver!.id });
    await makeGrant(testDb, { identityId: nearMiss.id, entitlementId: clerk!.id, status: "revoked" });

    const [listed] = await listSodRules(testDb, { ruleId });
    expect(listed).toMatchObject({ name: "Bills: enter, approve, pay", severity: "critical", violators: 1, createdByName: admin.displayName });
    expect(listed!.members.map((m) => m.name).sort()).toEqual(["Bill approver", "Bill clerk", "Payment releaser"]);
    expect(listed!.members.find((m) => m.name === "Payment releaser")).toMatchObject({ applicationName: "Payroll (sod test)" });
  });

  it("refuses bad input with errors that name the field, and writes nothing", async () => {
    const [a, b] = ents;
    const before = await ruleCount();
    const good = { name: "Valid name", severity: "high", entitlementIds: [a!.id, b!.id] };
    await expect(createSodRule(deps, admin, { ...good, name: "  " })).rejects.toMatchObject({ code: "INVALID", fieldErrors: { name: ["Give the rule a name."] } });
    await expect(createSodRule(deps, admin, { ...good, severity: "urgent" })).rejects.toMatchObject({ fieldErrors: { severity: [expect.stringMatching(/Choose a severity/)] } });
    await expect(createSodRule(deps, admin, { ...good, entitlementIds: [a!.id] })).rejects.toMatchObject({ fieldErrors: { entitlementIds: ["Choose at least two different entitlements."] } });
    // The same entitlement twice is one entitlement.
    await expect(createSodRule(deps, admin, { ...good, entitlementIds: [a!.id, a!.id] })).rejects.toMatchObject({ fieldErrors: { entitlementIds: ["Choose at least two different entitlements."] } });
    await expect(createSodRule(deps, admin, { ...good, entitlementIds: `${a!.id},not-an-id` })).rejects.toMatchObject({
      fieldErrors: { "entitlementIds.1": [expect.stringMatching(/search results/)] },
    });
    await expect(createSodRule(deps, admin, { ...good, entitlementIds: [a!.id, "00000000-0000-4000-8000-000000000000"] })).rejects.toMatchObject({
      fieldErrors: { entitlementIds: [expect.stringContaining("00000000-0000-4000-8000-000000000000")] },
    });
    // Names are unique regardless of case.
    await expect(createSodRule(deps, admin, { ...good, name: "BILLS: ENTER, APPROVE, PAY" })).rejects.toMatchObject({ fieldErrors: { name: [expect.stringMatching(/already exists/)] } });
    expect(await ruleCount()).toBe(before);
  });

  it("lets only admins change rules; auditors (even ones also made admin) read them", async () => {
    const [a, b] = ents;
    const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
    const both = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin", "auditor"] })).id);
    const employee = await actorFor(testDb, (await makePerson(testDb)).id);
    const [rule] = await listSodRules(testDb);
    const [auditRows, rules] = [await testDb.$count(auditEvents), await ruleCount()];
    for (const actor of [auditor, both, employee]) {
      await expect(createSodRule(deps, actor, { name: "Nope", severity: "high", entitlementIds: [a!.id, b!.id] })).rejects.toBeInstanceOf(Forbidden);
      await expect(updateSodRule(deps, actor, { ruleId: rule!.id, name: "Nope", severity: "low", entitlementIds: [a!.id, b!.id] })).rejects.toBeInstanceOf(Forbidden);
      await expect(deleteSodRule(deps, actor, { ruleId: rule!.id })).rejects.toBeInstanceOf(Forbidden);
      await expect(findRuleEntitlements(deps, actor, { q: "Bill" })).rejects.toBeInstanceOf(Forbidden);
    }
    expect([await testDb.$count(auditEvents), await ruleCount()]).toEqual([auditRows, rules]);
    expect(await sodRulesPage(deps, auditor, {})).toMatchObject({ canManage: false, rules: expect.arrayContaining([expect.objectContaining({ id: rule!.id })]) });
    await expect(sodRulesPage(deps, employee, {})).rejects.toBeInstanceOf(Forbidden);
  });

  it("finds entitlements by their name or their application's for the picker", async () => {
    const byName = await findRuleEntitlements(deps, admin, { q: "bill appro" });
    expect(byName.matches.map((m) => m.name)).toEqual(["Bill approver"]);
    const byApp = await findRuleEntitlements(deps, admin, { q: "Payroll (sod" });
    expect(byApp.matches.map((m) => m.name).sort()).toEqual(["Payment releaser", "Payroll viewer"]);
  });

  it("changes a rule's words and members, audited before and after; an unchanged save writes nothing", async () => {
    const [clerk, approver, releaser, viewer] = ents;
    const { ruleId } = await createSodRule(deps, admin, { name: "To change", severity: "medium", entitlementIds: [clerk!.id, approver!.id] });
    const changed = await updateSodRule(deps, admin, { ruleId, name: "Changed", description: "Now across payroll", severity: "high", entitlementIds: [approver!.id, releaser!.id, viewer!.id] });
    expect(changed).toEqual({ ruleId, changed: true });
    const members = await testDb.select({ id: sodRuleEntitlements.entitlementId }).from(sodRuleEntitlements).where(eq(sodRuleEntitlements.ruleId, ruleId));
    expect(members.map((m) => m.id).sort()).toEqual([approver!.id, releaser!.id, viewer!.id].sort());
    const updated = (await auditFor(ruleId)).find((e) => e.action === "sod_rule.updated")!;
    expect(updated.before).toMatchObject({ name: "To change", severity: "medium", entitlements: ["Bill approver (Ledger (sod test))", "Bill clerk (Ledger (sod test))"] });
    expect(updated.after).toMatchObject({ name: "Changed", description: "Now across payroll", severity: "high" });
    expect((updated.after as { entitlementIds: string[] }).entitlementIds).toHaveLength(3);

    const again = await updateSodRule(deps, admin, { ruleId, name: "Changed", description: "Now across payroll", severity: "high", entitlementIds: `${viewer!.id},${approver!.id},${releaser!.id}` });
    expect(again).toEqual({ ruleId, changed: false });
    expect((await auditFor(ruleId)).filter((e) => e.action === "sod_rule.updated")).toHaveLength(1);
  });

  it("deletes a rule with its members, keeping the rule as it was in the audit trail", async () => {
    const [clerk, approver] = ents;
    const { ruleId } = await createSodRule(deps, admin, { name: "To delete", severity: "low", entitlementIds: [clerk!.id, approver!.id] });
    expect(await deleteSodRule(deps, admin, { ruleId })).toEqual({ ruleId, deleted: true });
    expect(await testDb.$count(sodRules, eq(sodRules.id, ruleId))).toBe(0);
    expect(await testDb.$count(sodRuleEntitlements, eq(sodRuleEntitlements.ruleId, ruleId))).toBe(0);
    expect((await auditFor(ruleId)).find((e) => e.action === "sod_rule.deleted")).toMatchObject({ before: { name: "To delete", entitlements: expect.any(Array) } });
    await expect(deleteSodRule(deps, admin, { ruleId })).rejects.toBeInstanceOf(NotFound);
    expect((await auditFor(ruleId)).filter((e) => e.action === "sod_rule.deleted")).toHaveLength(1);
  });
});
