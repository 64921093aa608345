/**
 * A finding's life under a moving clock: opened once, refreshed not duplicated, resolved when
 * the condition ends, re-opened when it returns, accepted until a date and re-opened after it;
 * and the actions on it, with who may take them.
 */
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, findings, grants, identities, reviewItems, revocations, webhookDeliveries, webhookSubscriptions } from "@/db/schema";
import { sealSecret } from "@/lib/crypto/secret-box";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { actorFor, makeGrant, makeNonHuman } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { workFindings } from "@/lib/jobs/findings-worker";
import { QUEUES } from "@/lib/jobs/queue";
import { acceptFinding, openReviewFromFinding, reduceFromFinding, revokeFromFinding } from "./act-on-finding";
import { browseFindings, getFindingDetail } from "./browse";
import { recomputeFindings } from "./recompute";
import { DAY, HOUR, MINUTE, ago, findingFor, makeAccess, makeAccount, makePerson } from "./testing";

const t0 = new Date("2026-12-01T10:00:00Z");
const later = (ms: number) => new Date(t0.getTime() + ms);
const depsAt = (now: Date) => testDeps(() => now);
const recompute = (now: Date) => recomputeFindings(depsAt(now), "system");

async function deliveriesFor(findingId: string) {
  return testDb
    .select({ payload: webhookDeliveries.payload })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.eventType, "finding.opened"), sql`${webhookDeliveries.payload} -> 'data' ->> 'findingId' = ${findingId}`));
}

describe("a finding's life", () => {
  it("opens once, stays one row, resolves when the condition ends, re-opens when it returns, and tells subscribers each time it opens", async () => {
    await testDb.insert(webhookSubscriptions).values({ name: "SIEM", url: "https://siem.example/hooks", events: ["finding.opened"], secretEncrypted: sealSecret("whsec_test") });
    const admin = await makePerson(testDb, { roles: ["admin"] });
    const nhi = await makeNonHuman(testDb, { ownerId: null });
    const key = `nhi_no_owner:${nhi.id}`;
    const [{ lastId }] = (await testDb.execute<{ lastId: number }>(sql`select coalesce(max(id), 0)::int as "lastId" from audit_events`)) as unknown as [{ lastId: number }];

    const first = await recompute(t0);
    const opened = (await findingFor(testDb, key))!;
    expect(opened).toMatchObject({ status: "open", firstSeenAt: t0, lastSeenAt: t0 });
    expect(first.opened).toBeGreaterThanOrEqual(1);
    const [delivery] = await deliveriesFor(opened.id);
    expect(delivery!.payload).toMatchObject({ type: "finding.opened", data: { findingId: opened.id, kind: "nhi_no_owner", reopened: false } });

    const second = await recompute(later(HOUR));
    expect(second.opened).toBe(0);
    expect(await testDb.$count(findings, eq(findings.dedupeKey, key))).toBe(1);
    // Unchanged, so not rewritten: an open finding is confirmed by every run that still finds it.
    expect(await findingFor(testDb, key)).toMatchObject({ id: opened.id, status: "open", firstSeenAt: t0, lastSeenAt: t0 });
    expect(second.changed).toBe(0);

    // Something about it changed (it now holds access): the row is rewritten with the new reason.
    const { entitlement } = await makeAccess(testDb);
    await makeGrant(testDb, { identityId: nhi.id, entitlementId: entitlement.id, grantedAt: t0 });
    const changed = await recompute(later(90 * MINUTE));
    expect(changed.changed).toBeGreaterThanOrEqual(1);
    expect(await findingFor(testDb, key)).toMatchObject({ id: opened.id, status: "open", lastSeenAt: later(90 * MINUTE), reason: expect.stringContaining("holding 1 live grant (1 privileged)") });
    expect(await deliveriesFor(opened.id)).toHaveLength(1);

    await testDb.update(identities).set({ ownerId: admin.id }).where(eq(identities.id, nhi.id));
    const third = await recompute(later(2 * HOUR));
    expect(third.resolved).toBeGreaterThanOrEqual(1);
    expect(await findingFor(testDb, key)).toMatchObject({ id: opened.id, status: "resolved", resolvedAt: later(2 * HOUR), lastSeenAt: later(90 * MINUTE) });

    await testDb.update(identities).set({ ownerId: null }).where(eq(identities.id, nhi.id));
    const fourth = await recompute(later(3 * HOUR));
    expect(fourth.reopened).toBe(1);
    expect(await findingFor(testDb, key)).toMatchObject({ id: opened.id, status: "open", resolvedAt: null, firstSeenAt: later(3 * HOUR) });
    expect((await deliveriesFor(opened.id)).map((d) => (d.payload as { data: { reopened: boolean } }).data.reopened)).toEqual(expect.arrayContaining([false, true]));

    // The recompute is audited as one summary per run, never one row per finding.
    const trail = await testDb
      .select({ action: auditEvents.action, entityType: auditEvents.entityType })
      .from(auditEvents)
      .where(sql`${auditEvents.id} > ${lastId}`);
    expect(trail.filter((e) => e.action === "findings.recomputed")).toHaveLength(5);
    expect(trail.filter((e) => e.entityType === "finding")).toEqual([]);
  });

  it("an accepted exception holds until its date, then the finding re-opens; an exception on a condition that ended resolves", async () => {
    const owner = await makePerson(testDb);
    const { app } = await makeAccess(testDb);
    await testDb.execute(sql`insert into application_owners (application_id, identity_id) values (${app.id}, ${owner.id})`);
    const orphan = await makeAccount(testDb, { applicationId: app.id, identityId: null });
    const gone = await makeAccount(testDb, { applicationId: app.id, identityId: null });
    await recompute(t0);
    const finding = (await findingFor(testDb, `orphan_account:${orphan.id}`))!;
    const other = (await findingFor(testDb, `orphan_account:${gone.id}`))!;
    const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);

    const accepted = await acceptFinding(depsAt(t0), admin, { findingId: finding.id, until: "2026-12-10", reason: "Vendor migration account, removed at cut-over" });
    expect(accepted.acceptedUntil).toEqual(new Date("2026-12-10T23:59:59.999Z"));
    await acceptFinding(depsAt(t0), admin, { findingId: other.id, until: "2026-12-10", reason: "Vendor migration account, removed at cut-over" });
    const [audit] = await testDb
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, finding.id), eq(auditEvents.action, "finding.accepted")));
    expect(audit).toMatchObject({ reason: "Vendor migration account, removed at cut-over", before: { status: "open" } });

    await testDb.execute(sql`update accounts set status = 'disabled' where id = ${gone.id}`);
    await recompute(later(5 * DAY));
    expect(await findingFor(testDb, `orphan_account:${orphan.id}`)).toMatchObject({ status: "accepted" });
    expect(await findingFor(testDb, `orphan_account:${gone.id}`)).toMatchObject({ status: "resolved" });

    const expired = await recompute(new Date("2026-12-11T00:00:00Z"));
    expect(expired.reopened).toBeGreaterThanOrEqual(1);
    expect(await findingFor(testDb, `orphan_account:${orphan.id}`)).toMatchObject({ status: "open", firstSeenAt: t0, acceptedById: admin.id });
  });

  it("who may accept: admins and the finding's owner; not auditors, not someone else, not about one's own access; dates are bounded", async () => {
    const boss = await makePerson(testDb);
    const holder = await makePerson(testDb, { managerId: boss.id });
    const { entitlement, owner } = await makeAccess(testDb, { risk: "high" });
    const grant = await makeGrant(testDb, { identityId: holder.id, entitlementId: entitlement.id, kind: "standing", grantedAt: ago(t0, 400 * DAY) });
    await recompute(t0);
    const finding = (await findingFor(testDb, `unused_standing_privilege:${grant.id}`))!;
    expect(finding.ownerId).toBe(owner.id);
    const input = { findingId: finding.id, until: "2026-12-20", reason: "Needed for the year-end close" };

    const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
    await expect(acceptFinding(depsAt(t0), auditor, input)).rejects.toThrow(new Forbidden("Auditors cannot accept findings."));
    // The holder's manager sees it, but may not waive it.
    await expect(acceptFinding(depsAt(t0), await actorFor(testDb, boss.id), input)).rejects.toBeInstanceOf(Forbidden);
    // Someone who cannot see it is told it does not exist.
    await expect(acceptFinding(depsAt(t0), await actorFor(testDb, (await makePerson(testDb)).id), input)).rejects.toBeInstanceOf(NotFound);
    const adminHolder = await makePerson(testDb, { roles: ["admin"] });
    const own = await makeGrant(testDb, { identityId: adminHolder.id, entitlementId: entitlement.id, kind: "standing", grantedAt: ago(t0, 400 * DAY) });
    await recompute(t0);
    const ownFinding = (await findingFor(testDb, `unused_standing_privilege:${own.id}`))!;
    await expect(acceptFinding(depsAt(t0), await actorFor(testDb, adminHolder.id), { ...input, findingId: ownFinding.id })).rejects.toThrow(
      new Forbidden("Nobody may accept a risk on their own access."),
    );
    const ownerActor = await actorFor(testDb, owner.id);
    await expect(acceptFinding(depsAt(t0), ownerActor, { ...input, until: "2026-12-01" })).rejects.toBeInstanceOf(Invalid);
    await expect(acceptFinding(depsAt(t0), ownerActor, { ...input, until: "2028-01-01" })).rejects.toBeInstanceOf(Invalid);
    await acceptFinding(depsAt(t0), ownerActor, input);
    expect(await findingFor(testDb, `unused_standing_privilege:${grant.id}`)).toMatchObject({ status: "accepted", acceptedById: owner.id });
  });

  it("revoke goes through the revocation pipeline with cause 'finding'; the holder cannot; the finding resolves once the grant is on its way out", async () => {
    const holder = await makePerson(testDb, { roles: ["admin"] });
    const { entitlement, owner } = await makeAccess(testDb, { risk: "high" });
    const grant = await makeGrant(testDb, { identityId: holder.id, entitlementId: entitlement.id, kind: "standing", grantedAt: ago(t0, 400 * DAY) });
    const unrelated = await makeGrant(testDb, { identityId: owner.id, entitlementId: entitlement.id, kind: "time_bound", grantedAt: ago(t0, DAY), expiresAt: later(DAY) });
    await recompute(t0);
    const finding = (await findingFor(testDb, `unused_standing_privilege:${grant.id}`))!;

    await expect(revokeFromFinding(depsAt(t0), await actorFor(testDb, holder.id), { findingId: finding.id, grantId: grant.id })).rejects.toThrow(
      new Forbidden("Nobody may decide on their own access."),
    );
    const ownerActor = await actorFor(testDb, owner.id);
    await expect(revokeFromFinding(depsAt(t0), ownerActor, { findingId: finding.id, grantId: unrelated.id })).rejects.toBeInstanceOf(Invalid);
    const detail = await getFindingDetail(depsAt(t0), ownerActor, finding.id);
    expect(detail.grants.map((g) => [g.id, g.may.allowed])).toEqual([[grant.id, true]]);

    const result = await revokeFromFinding(depsAt(t0), ownerActor, { findingId: finding.id, grantId: grant.id });
    expect(result.created).toBe(true);
    const [revocation] = await testDb.select().from(revocations).where(eq(revocations.id, result.revocationId));
    expect(revocation).toMatchObject({ grantId: grant.id, cause: "finding", causeRef: finding.id, status: "requested" });
    expect((await testDb.select({ status: grants.status }).from(grants).where(eq(grants.id, grant.id)))[0]!.status).toBe("pending_revocation");
    expect(await testDb.$count(auditEvents, and(eq(auditEvents.entityId, finding.id), eq(auditEvents.action, "finding.revoke_requested")))).toBe(1);

    await recompute(later(HOUR));
    expect(await findingFor(testDb, `unused_standing_privilege:${grant.id}`)).toMatchObject({ status: "resolved" });
  });

  it("reduces unused standing privilege to just-in-time: an eligible grant replaces it, the standing one is revoked", async () => {
    const holder = await makePerson(testDb);
    const { entitlement, owner } = await makeAccess(testDb, { risk: "high" });
    const grant = await makeGrant(testDb, { identityId: holder.id, entitlementId: entitlement.id, kind: "standing", grantedAt: ago(t0, 400 * DAY) });
    await recompute(t0);
    const finding = (await findingFor(testDb, `unused_standing_privilege:${grant.id}`))!;
    const reduced = await reduceFromFinding(depsAt(t0), await actorFor(testDb, owner.id), { findingId: finding.id, grantId: grant.id });
    const [eligible] = await testDb.select().from(grants).where(eq(grants.id, reduced.grantId));
    expect(eligible).toMatchObject({ identityId: holder.id, entitlementId: entitlement.id, kind: "eligible", status: "active" });
    const [revocation] = await testDb.select().from(revocations).where(eq(revocations.id, reduced.revocationId));
    expect(revocation).toMatchObject({ grantId: grant.id, cause: "reduce" });
    expect(await testDb.$count(auditEvents, and(eq(auditEvents.entityId, finding.id), eq(auditEvents.action, "finding.reduce_requested")))).toBe(1);
    await expect(reduceFromFinding(depsAt(t0), await actorFor(testDb, owner.id), { findingId: finding.id, grantId: grant.id })).rejects.toBeInstanceOf(Invalid);
    // Once the standing grant's removal is verified, the JIT grant that replaced it is not "re-granted after revocation".
    await testDb
      .update(revocations)
      .set({ status: "verified", verifiedAt: later(HOUR) })
      .where(eq(revocations.id, reduced.revocationId));
    await testDb
      .update(grants)
      .set({ status: "revoked", endedAt: later(HOUR) })
      .where(eq(grants.id, grant.id));
    await recompute(later(2 * HOUR));
    expect(await findingFor(testDb, `regranted_after_revocation:${reduced.grantId}`)).toBeNull();
    expect(await findingFor(testDb, `unused_standing_privilege:${grant.id}`)).toMatchObject({ status: "resolved" });
  });

  it("opens an ad-hoc review item for the finding's grant, reviewed by someone other than the holder and the asker", async () => {
    await makePerson(testDb, { roles: ["admin"] });
    const holder = await makePerson(testDb);
    const { entitlement, owner } = await makeAccess(testDb, { risk: "high" });
    const grant = await makeGrant(testDb, { identityId: holder.id, entitlementId: entitlement.id, kind: "standing", grantedAt: ago(t0, 400 * DAY) });
    await recompute(t0);
    const finding = (await findingFor(testDb, `unused_standing_privilege:${grant.id}`))!;
    const { reviewItemId } = await openReviewFromFinding(depsAt(t0), await actorFor(testDb, owner.id), { findingId: finding.id, grantId: grant.id });
    const [item] = await testDb.select().from(reviewItems).where(eq(reviewItems.id, reviewItemId));
    expect(item).toMatchObject({ grantId: grant.id, subjectKey: `finding:${finding.id}:${grant.id}`, identityId: holder.id });
    expect([holder.id, owner.id]).not.toContain(item!.reviewerId);
  });

  it("lists findings in scope: the holder's manager and the application owner see it; someone else does not", async () => {
    const boss = await makePerson(testDb);
    const holder = await makePerson(testDb, { managerId: boss.id });
    const { entitlement, owner } = await makeAccess(testDb, { risk: "medium" });
    const grant = await makeGrant(testDb, { identityId: holder.id, entitlementId: entitlement.id, kind: "standing", grantedAt: ago(t0, 400 * DAY) });
    await recompute(t0);
    const finding = (await findingFor(testDb, `unused_standing_privilege:${grant.id}`))!;
    const ids = async (personId: string) => (await browseFindings(depsAt(t0), await actorFor(testDb, personId), { kind: "unused_standing_privilege", limit: 200 })).rows.map((r) => r.id);
    expect(await ids(boss.id)).toContain(finding.id);
    expect(await ids(owner.id)).toContain(finding.id);
    expect(await ids((await makePerson(testDb)).id)).not.toContain(finding.id);
    await expect(getFindingDetail(depsAt(t0), await actorFor(testDb, (await makePerson(testDb)).id), finding.id)).rejects.toBeInstanceOf(NotFound);
  });

  it("runs one recompute at a time: a second caller is told, not queued", async () => {
    await testDb.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(4202613)`);
      await expect(recompute(t0)).rejects.toBeInstanceOf(Conflict);
    });
    const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
    const auditor = await actorFor(testDb, (await makePerson(testDb, { roles: ["auditor"] })).id);
    await expect(recomputeFindings(depsAt(t0), auditor)).rejects.toBeInstanceOf(Forbidden);
    expect((await recomputeFindings(depsAt(t0), admin)).found).toBeDefined();
  });

  it("is scheduled hourly on the job queue, and a queued run recomputes as the system", async () => {
    const deps = testDeps();
    await workFindings(deps);
    const boss = await deps.jobs.boss();
    expect(await boss.getSchedules(QUEUES.findingsRecompute)).toEqual([expect.objectContaining({ cron: "0 * * * *" })]);
    const [{ lastId }] = (await testDb.execute<{ lastId: number }>(sql`select coalesce(max(id), 0)::int as "lastId" from audit_events`)) as unknown as [{ lastId: number }];
    await deps.jobs.sendInTransaction(testDb, QUEUES.findingsRecompute, {});
    const deadline = Date.now() + 30_000;
    let run: { actorKind: string }[] = [];
    while (run.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      run = await testDb
        .select({ actorKind: auditEvents.actorKind })
        .from(auditEvents)
        .where(and(eq(auditEvents.action, "findings.recomputed"), sql`${auditEvents.id} > ${lastId}`));
    }
    expect(run).toEqual([{ actorKind: "system" }]);
  });
});
