import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activations, auditEvents, grants, notifications, reviewItems, revocations, webhookDeliveries } from "@/db/schema";
import { Conflict, Forbidden, Invalid } from "@/lib/errors";
import { setEnv } from "@/lib/env";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makeNonHuman, makePerson } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { createSubscription } from "@/lib/domain/webhooks/subscriptions";
import { activateGrant, activateInput } from "./activate";
import { deactivateActivation } from "./deactivate";
import { expireDueActivations, expireDueGrants, sweepAccessExpiry } from "./expire";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let clock = new Date("2026-11-23T10:00:00Z");
const deps = testDeps(() => clock);
const at = (ms: number) => new Date(ms);

async function setting(policy: Partial<Parameters<typeof makeEntitlement>[1]> = {}) {
  const manager = await makePerson(testDb);
  const holder = await makePerson(testDb, { managerId: manager.id });
  const owner = await makePerson(testDb);
  const app = await makeApplication(testDb, { ownerIds: [owner.id] });
  const entitlement = await makeEntitlement(testDb, { applicationId: app.id, privileged: true, maxDurationMinutes: 240, ...policy });
  const grant = await makeGrant(testDb, { identityId: holder.id, entitlementId: entitlement.id, kind: "eligible", source: "request", grantedAt: at(clock.getTime() - 30 * 24 * HOUR) });
  return { manager, holder, owner, app, entitlement, grant };
}

const open = (input: Record<string, unknown>) => activateInput.parse({ durationMinutes: 60, justification: "Apply the hotfix to the payments database", ...input });

async function activationOf(id: string) {
  const [row] = await testDb.select().from(activations).where(eq(activations.id, id));
  return row!;
}

describe("just-in-time activation", () => {
  it("opens a window no longer than the policy allows, one at a time, only for the holder", async () => {
    const { holder, owner, grant } = await setting();
    const actor = await actorFor(testDb, holder.id);
    await expect(activateGrant(deps, actor, open({ grantId: grant.id, durationMinutes: 300 }))).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { durationMinutes: ["The policy allows windows of at most 4 hours."] },
    });
    await expect(activateGrant(deps, await actorFor(testDb, owner.id), open({ grantId: grant.id }))).rejects.toBeInstanceOf(Forbidden);

    const { activationId, endsAt, reviewItemId } = await activateGrant(deps, actor, open({ grantId: grant.id, ticket: "ENG-42" }));
    expect(reviewItemId).toBeNull();
    expect(endsAt).toEqual(at(clock.getTime() + HOUR));
    expect(await activationOf(activationId)).toMatchObject({ status: "active", startsAt: clock, endsAt, identityId: holder.id, ticket: "ENG-42", breakGlass: false });
    await expect(activateGrant(deps, actor, open({ grantId: grant.id }))).rejects.toBeInstanceOf(Conflict);
    // Two at once on another grant: the database's one-open-window index decides.
    const other = await setting();
    const otherActor = await actorFor(testDb, other.holder.id);
    const raced = await Promise.allSettled([0, 1].map(() => activateGrant(deps, otherActor, open({ grantId: other.grant.id }))));
    expect(raced.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((raced.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(Conflict);
  });

  it("refuses grants that are not eligible or have ended, and a missing ticket when the policy needs one", async () => {
    const { holder, entitlement, grant } = await setting({ requiresTicket: true });
    const actor = await actorFor(testDb, holder.id);
    await expect(activateGrant(deps, actor, open({ grantId: grant.id }))).rejects.toMatchObject({ fieldErrors: { ticket: [expect.any(String)] } });
    const standing = await makeGrant(testDb, { identityId: holder.id, entitlementId: entitlement.id, kind: "standing" });
    await expect(activateGrant(deps, actor, open({ grantId: standing.id, ticket: "ENG-1" }))).rejects.toThrow(/already live/);
    const ended = await setting();
    await testDb
      .update(grants)
      .set({ expiresAt: at(clock.getTime() - MINUTE) })
      .where(eq(grants.id, ended.grant.id));
    await expect(activateGrant(deps, await actorFor(testDb, ended.holder.id), open({ grantId: ended.grant.id }))).rejects.toBeInstanceOf(Invalid);
  });

  it("lets an NHI's owner activate its grant, and caps the window at the end of the eligibility", async () => {
    const { owner, entitlement } = await setting();
    const steward = await makePerson(testDb);
    const bot = await makeNonHuman(testDb, { ownerId: steward.id });
    const grant = await makeGrant(testDb, { identityId: bot.id, entitlementId: entitlement.id, kind: "eligible", expiresAt: at(clock.getTime() + 20 * MINUTE) });
    await expect(activateGrant(deps, await actorFor(testDb, owner.id), open({ grantId: grant.id }))).rejects.toBeInstanceOf(Forbidden);
    const { endsAt } = await activateGrant(deps, await actorFor(testDb, steward.id), open({ grantId: grant.id }));
    expect(endsAt).toEqual(at(clock.getTime() + 20 * MINUTE));
  });

  it("ends windows on time under a moved clock, early on request, and records both", async () => {
    const { holder, owner, grant } = await setting();
    const start = clock;
    try {
      const { activationId } = await activateGrant(deps, await actorFor(testDb, holder.id), open({ grantId: grant.id }));
      clock = at(start.getTime() + 59 * MINUTE);
      await expireDueActivations(deps);
      expect((await activationOf(activationId)).status).toBe("active");
      clock = at(start.getTime() + 61 * MINUTE);
      expect(await expireDueActivations(deps)).toBeGreaterThanOrEqual(1);
      expect(await activationOf(activationId)).toMatchObject({ status: "expired", endedAt: at(start.getTime() + HOUR) });
      await expect(deactivateActivation(deps, await actorFor(testDb, holder.id), { activationId })).rejects.toThrow(/already ended/);

      // A new window, ended early by the application's owner.
      const second = await activateGrant(deps, await actorFor(testDb, holder.id), open({ grantId: grant.id, durationMinutes: 120 }));
      await expect(deactivateActivation(deps, await actorFor(testDb, (await makePerson(testDb)).id), { activationId: second.activationId })).rejects.toBeInstanceOf(Forbidden);
      clock = at(clock.getTime() + 10 * MINUTE);
      await deactivateActivation(deps, await actorFor(testDb, owner.id), { activationId: second.activationId, reason: "Incident over" });
      expect(await activationOf(second.activationId)).toMatchObject({ status: "ended", endedAt: clock });

      const trail = await testDb.select({ action: auditEvents.action, kind: auditEvents.actorKind }).from(auditEvents).where(eq(auditEvents.entityId, grant.id)).orderBy(asc(auditEvents.id));
      expect(trail).toEqual([
        { action: "activation.started", kind: "human" },
        { action: "activation.expired", kind: "system" },
        { action: "activation.started", kind: "human" },
        { action: "activation.ended", kind: "human" },
      ]);
    } finally {
      clock = start;
    }
  });

  it("expires time-bound grants through the revocation pipeline, once", async () => {
    const { holder, entitlement } = await setting();
    const expiresAt = at(clock.getTime() + 2 * HOUR);
    const grant = await makeGrant(testDb, { identityId: holder.id, entitlementId: entitlement.id, kind: "time_bound", source: "request", expiresAt });
    const start = clock;
    try {
      clock = at(expiresAt.getTime() - MINUTE);
      await expireDueGrants(deps);
      expect((await testDb.select().from(revocations).where(eq(revocations.grantId, grant.id))).length).toBe(0);
      clock = at(expiresAt.getTime() + MINUTE);
      await sweepAccessExpiry(deps);
      await sweepAccessExpiry(deps);
      const removal = await testDb.select().from(revocations).where(eq(revocations.grantId, grant.id));
      expect(removal).toHaveLength(1);
      expect(removal[0]).toMatchObject({ cause: "expiry", causeRef: expiresAt.toISOString(), status: "requested", requestedById: null });
      const [after] = await testDb.select({ status: grants.status }).from(grants).where(eq(grants.id, grant.id));
      expect(after!.status).toBe("pending_revocation");
      const actions = await testDb.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityId, grant.id)).orderBy(asc(auditEvents.id));
      expect(actions.map((a) => a.action)).toEqual(["revocation.requested", "grant.expired"]);
    } finally {
      clock = start;
    }
  });
});

describe("the access sweep", () => {
  it("works a backlog off over several runs when its time budget is spent, most urgent first", async () => {
    const { entitlement } = await setting();
    await testDb.execute(sql`
      with people as (
        insert into identities (source, external_id, kind, type, display_name)
        select 'backlog', ${entitlement.id}::text || g, 'human', 'employee', 'Backlog ' || g from generate_series(1, 250) g returning id
      ), held as (
        insert into grants (identity_id, entitlement_id, kind, source, granted_at) select id, ${entitlement.id}, 'eligible', 'import', ${clock.toISOString()}::timestamptz - interval '1 day' from people returning id, identity_id
      )
      insert into activations (grant_id, identity_id, status, starts_at, ends_at, justification)
      select id, identity_id, 'active', ${clock.toISOString()}::timestamptz - interval '2 hours', ${clock.toISOString()}::timestamptz - interval '1 hour', 'backlog' from held`);
    const open = async () => (await testDb.execute<{ n: number }>(sql`select count(*)::int as n from activations where justification = 'backlog' and status = 'active'`))[0]!.n;
    const first = await sweepAccessExpiry(deps, { budgetMs: 0 });
    expect(first).toMatchObject({ activations: 200, grants: 0, requests: 0 });
    expect(await open()).toBe(50);
    await sweepAccessExpiry(deps, { budgetMs: 0 });
    expect(await open()).toBe(0);
  });
});

describe("break-glass", () => {
  it("activates at once with an incident, pages the owners, tells webhook subscribers and opens a review someone else decides", async () => {
    const admin = await makePerson(testDb, { roles: ["admin"] });
    setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "true");
    try {
      await createSubscription(deps, await actorFor(testDb, admin.id), { name: "SIEM", url: "http://127.0.0.1:9/hook", events: ["break_glass.activated"] });
    } finally {
      setEnv("ACCORD_ALLOW_PRIVATE_TARGETS", "false");
    }
    const { manager, holder, owner, grant } = await setting({ breakGlass: true, maxDurationMinutes: 60, requiresTicket: true });
    const actor = await actorFor(testDb, holder.id);
    await expect(activateGrant(deps, actor, open({ grantId: grant.id, ticket: "ENG-1" }))).rejects.toMatchObject({ fieldErrors: { form: [expect.stringMatching(/break-glass form/)] } });
    await expect(activateGrant(deps, actor, open({ grantId: grant.id, breakGlass: "true" }))).rejects.toMatchObject({ fieldErrors: { incidentId: [expect.any(String)] } });

    const result = await activateGrant(deps, actor, open({ grantId: grant.id, breakGlass: "true", incidentId: "INC-4821", durationMinutes: 30 }));
    expect(await activationOf(result.activationId)).toMatchObject({ status: "active", breakGlass: true, incidentId: "INC-4821", endsAt: at(clock.getTime() + 30 * MINUTE) });

    const paged = await testDb
      .select({ recipientId: notifications.recipientId })
      .from(notifications)
      .where(eq(notifications.dedupeKey, `break_glass:${result.activationId}:${owner.id}`));
    expect(paged).toHaveLength(1);
    const all = await testDb.select({ recipientId: notifications.recipientId }).from(notifications).where(eq(notifications.kind, "break_glass.activated"));
    expect(all.map((n) => n.recipientId).sort()).toEqual([manager.id, owner.id].sort());

    const [delivery] = await testDb.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventType, "break_glass.activated"));
    expect(delivery!.payload).toMatchObject({ type: "break_glass.activated", data: { activationId: result.activationId, incidentId: "INC-4821" } });

    expect(result.reviewItemId).toEqual(expect.any(String));
    const [item] = await testDb.select().from(reviewItems).where(eq(reviewItems.id, result.reviewItemId!));
    expect(item).toMatchObject({ grantId: grant.id, identityId: holder.id, subjectKey: `break_glass:${result.activationId}`, status: "pending", dueAt: at(clock.getTime() + 24 * HOUR) });
    expect(item!.reviewerId).not.toBe(holder.id);
    expect(item!.reviewerId).toBe(owner.id);
  });

  it("is refused to someone without an eligible break-glass grant", async () => {
    const { entitlement } = await setting({ breakGlass: true });
    const stranger = await makePerson(testDb);
    const standing = await makeGrant(testDb, { identityId: stranger.id, entitlementId: entitlement.id, kind: "standing" });
    await expect(activateGrant(deps, await actorFor(testDb, stranger.id), open({ grantId: standing.id, breakGlass: "true", incidentId: "INC-1" }))).rejects.toBeInstanceOf(Invalid);
    const [someone] = await testDb
      .select({ id: grants.id })
      .from(grants)
      .where(and(eq(grants.entitlementId, entitlement.id), eq(grants.kind, "eligible")));
    await expect(activateGrant(deps, await actorFor(testDb, stranger.id), open({ grantId: someone!.id, breakGlass: "true", incidentId: "INC-1" }))).rejects.toBeInstanceOf(Forbidden);
    expect(
      await testDb
        .select()
        .from(activations)
        .where(eq(activations.breakGlass, true))
        .then((rows) => rows.filter((r) => r.identityId === stranger.id)),
    ).toEqual([]);
  });
});
