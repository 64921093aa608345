/**
 * Each finding kind from a constructed scenario, and not from its near miss. One recompute at
 * the end sees every scenario at once, as production would: the detectors must not confuse them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { grants } from "@/db/schema";
import { makeGrant, makeNonHuman, makeSession } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import type { RecomputeSummary } from "./recompute";
import {
  DAY,
  HOUR,
  MINUTE,
  ago,
  findingFor,
  makeAccess,
  makeAccount,
  makeActivation,
  makeDecidedBreakGlassReview,
  makePerson,
  makeRevocation,
  makeSodRule,
  makeUsageEvent,
  recomputeAt,
} from "./testing";

const now = new Date("2026-12-01T10:00:00Z");
const at = (ms: number) => ago(now, ms);
const keys: Record<string, string> = {};
let summary: RecomputeSummary;

/** Registers a scenario's expected dedupe key under a name the tests below check. */
const expectKey = (name: string, key: string) => (keys[name] = key);

beforeAll(async () => {
  // 1. Used without approval: sessions against a JIT activation window 10:00-11:00 two days ago.
  {
    const { entitlement, app } = await makeAccess(testDb);
    const window = { startsAt: at(2 * DAY), endsAt: at(2 * DAY - HOUR) };
    for (const [name, offset] of [
      ["uwa.inside", MINUTE],
      ["uwa.after", HOUR + MINUTE],
    ] as const) {
      const person = await makePerson(testDb);
      const grant = await makeGrant(testDb, { identityId: person.id, entitlementId: entitlement.id, kind: "eligible", grantedAt: at(30 * DAY) });
      await makeActivation(testDb, { grantId: grant.id, identityId: person.id, ...window });
      await makeSession(testDb, {
        grantId: grant.id,
        identityId: person.id,
        entitlementId: entitlement.id,
        applicationId: app.id,
        startedAt: new Date(window.startsAt.getTime() + offset),
        minutes: 5,
      });
      expectKey(name, `used_without_approval:${person.id}:${entitlement.id}`);
    }
    // No grant at all, only a usage event; and use after a standing grant ended.
    const stranger = await makePerson(testDb);
    await makeUsageEvent(testDb, { identityId: stranger.id, entitlementId: entitlement.id, occurredAt: at(3 * DAY) });
    expectKey("uwa.nogrant", `used_without_approval:${stranger.id}:${entitlement.id}`);
    const former = await makePerson(testDb);
    await makeGrant(testDb, { identityId: former.id, entitlementId: entitlement.id, status: "revoked", grantedAt: at(60 * DAY), endedAt: at(10 * DAY) });
    await makeUsageEvent(testDb, { identityId: former.id, entitlementId: entitlement.id, occurredAt: at(10 * DAY + MINUTE) });
    expectKey("uwa.beforeEnd", `used_without_approval:${former.id}:${entitlement.id}`);
    const lapsed = await makePerson(testDb);
    await makeGrant(testDb, { identityId: lapsed.id, entitlementId: entitlement.id, status: "revoked", grantedAt: at(60 * DAY), endedAt: at(10 * DAY) });
    await makeUsageEvent(testDb, { identityId: lapsed.id, entitlementId: entitlement.id, occurredAt: at(10 * DAY - MINUTE) });
    expectKey("uwa.afterEnd", `used_without_approval:${lapsed.id}:${entitlement.id}`);
    // Evidence that is not a use: a refused attempt, and an access request naming the role.
    for (const [name, flags] of [
      ["uwa.failed", { failed: true }],
      ["uwa.request", { isUse: false }],
    ] as const) {
      const asker = await makePerson(testDb);
      await makeUsageEvent(testDb, { identityId: asker.id, entitlementId: entitlement.id, occurredAt: at(DAY), ...flags });
      expectKey(name, `used_without_approval:${asker.id}:${entitlement.id}`);
    }
  }

  // 2. Expired but live.
  {
    const { entitlement } = await makeAccess(testDb);
    const expiry = at(2 * DAY);
    const before = new Date(expiry.getTime() - MINUTE);
    for (const [name, status, checked, expires] of [
      ["ebl.seenAfter", "expired", at(HOUR), expiry],
      ["ebl.seenBefore", "expired", before, expiry],
      ["ebl.neverRemoved", "active", before, expiry],
      ["ebl.notYet", "active", at(HOUR), new Date(now.getTime() + MINUTE)],
    ] as const) {
      const person = await makePerson(testDb);
      const grant = await makeGrant(testDb, {
        identityId: person.id,
        entitlementId: entitlement.id,
        kind: "time_bound",
        status,
        grantedAt: at(9 * DAY),
        expiresAt: expires,
        liveState: "present",
        liveCheckedAt: checked,
      });
      expectKey(name, `expired_but_live:grant:${grant.id}`);
    }
    for (const [name, endOffset] of [
      ["ebl.overran", 5 * MINUTE],
      ["ebl.withinWindow", -MINUTE],
    ] as const) {
      const person = await makePerson(testDb);
      const grant = await makeGrant(testDb, { identityId: person.id, entitlementId: entitlement.id, kind: "eligible", grantedAt: at(20 * DAY) });
      const activation = await makeActivation(testDb, { grantId: grant.id, identityId: person.id, startsAt: at(DAY + HOUR), endsAt: at(DAY) });
      const started = new Date(activation.startsAt.getTime() + 10 * MINUTE);
      const minutes = (activation.endsAt.getTime() + endOffset - started.getTime()) / MINUTE;
      await makeSession(testDb, { grantId: grant.id, identityId: person.id, entitlementId: entitlement.id, activationId: activation.id, startedAt: started, minutes });
      expectKey(name, `expired_but_live:activation:${activation.id}`);
    }
  }

  // 3. Revocation not applied: past the SLA by a minute, short of it by a minute, and verified late.
  {
    const { entitlement } = await makeAccess(testDb);
    for (const [name, status, due] of [
      ["rna.late", "failed", at(MINUTE)],
      ["rna.stillInSla", "dispatched", new Date(now.getTime() + MINUTE)],
      ["rna.verified", "verified", at(DAY)],
    ] as const) {
      const person = await makePerson(testDb);
      const grant = await makeGrant(testDb, { identityId: person.id, entitlementId: entitlement.id, status: status === "verified" ? "revoked" : "pending_revocation", grantedAt: at(90 * DAY) });
      await makeRevocation(testDb, { grantId: grant.id, status, requestedAt: at(2 * DAY), slaDueAt: due, verifiedAt: status === "verified" ? at(HOUR) : null });
      expectKey(name, `revocation_not_applied:${grant.id}`);
    }
  }

  // 4. Re-granted after revocation: a sync re-adds it; a new request approved after the revocation does not count.
  {
    const { entitlement, owner } = await makeAccess(testDb);
    for (const [name, approved] of [
      ["rar.sync", false],
      ["rar.approvedAgain", true],
    ] as const) {
      const person = await makePerson(testDb);
      const old = await makeGrant(testDb, { identityId: person.id, entitlementId: entitlement.id, status: "revoked", grantedAt: at(100 * DAY), endedAt: at(20 * DAY) });
      await makeRevocation(testDb, { grantId: old.id, status: "verified", requestedAt: at(21 * DAY), slaDueAt: at(20 * DAY), verifiedAt: at(20 * DAY) });
      const back = await makeGrant(testDb, {
        identityId: person.id,
        entitlementId: entitlement.id,
        source: approved ? "request" : "scim",
        grantedAt: at(5 * DAY),
        createdAt: at(5 * DAY),
        ...(approved ? { approvedById: owner.id, approvedAt: at(5 * DAY) } : {}),
      });
      expectKey(name, `regranted_after_revocation:${back.id}`);
    }
  }

  // 5. Orphan accounts and leavers' accounts.
  {
    const { app, entitlement } = await makeAccess(testDb);
    const orphan = await makeAccount(testDb, { applicationId: app.id, identityId: null, lastLoginAt: at(40 * DAY) });
    expectKey("orphan.active", `orphan_account:${orphan.id}`);
    const disabled = await makeAccount(testDb, { applicationId: app.id, identityId: null, status: "disabled" });
    expectKey("orphan.disabled", `orphan_account:${disabled.id}`);
    const leaver = await makePerson(testDb, { status: "leaver", leftAt: at(21 * DAY) });
    await makeAccount(testDb, { applicationId: app.id, identityId: leaver.id });
    await makeGrant(testDb, { identityId: leaver.id, entitlementId: entitlement.id, grantedAt: at(400 * DAY), liveState: "present" });
    expectKey("leaver.keeps", `leaver_account:${leaver.id}:${app.id}`);
    const cleanLeaver = await makePerson(testDb, { status: "leaver", leftAt: at(21 * DAY) });
    await makeAccount(testDb, { applicationId: app.id, identityId: cleanLeaver.id, status: "disabled" });
    await makeGrant(testDb, { identityId: cleanLeaver.id, entitlementId: entitlement.id, status: "revoked", grantedAt: at(400 * DAY), endedAt: at(20 * DAY) });
    expectKey("leaver.clean", `leaver_account:${cleanLeaver.id}:${app.id}`);
  }

  // 6. Non-human identities without a current owner.
  {
    const boss = await makePerson(testDb);
    const gone = await makePerson(testDb, { status: "leaver", leftAt: at(75 * DAY), managerId: boss.id });
    const present = await makePerson(testDb);
    const orphaned = await makeNonHuman(testDb, { ownerId: null });
    const inherited = await makeNonHuman(testDb, { ownerId: gone.id });
    const owned = await makeNonHuman(testDb, { ownerId: present.id });
    const retired = await makeNonHuman(testDb, { ownerId: null, status: "leaver" });
    expectKey("nhi.noOwner", `nhi_no_owner:${orphaned.id}`);
    expectKey("nhi.ownerLeft", `nhi_owner_leaver:${inherited.id}`);
    expectKey("nhi.owned", `nhi_owner_leaver:${owned.id}`);
    expectKey("nhi.retired", `nhi_no_owner:${retired.id}`);
    keys["nhi.ownerLeft.manager"] = boss.id;
  }

  // 7. Unused standing privilege (N = 90 days).
  {
    const { entitlement, app } = await makeAccess(testDb, { risk: "critical" });
    const plain = await makeAccess(testDb, { privileged: false });
    for (const [name, ent, grantedDaysAgo, lastUseDaysAgo] of [
      ["usp.used91", entitlement.id, 200, 91],
      ["usp.used89", entitlement.id, 200, 89],
      ["usp.new", entitlement.id, 89, null],
      ["usp.neverUsed", entitlement.id, 400, null],
      ["usp.notPrivileged", plain.entitlement.id, 400, null],
    ] as const) {
      const person = await makePerson(testDb);
      const grant = await makeGrant(testDb, { identityId: person.id, entitlementId: ent, kind: "standing", grantedAt: at(grantedDaysAgo * DAY) });
      if (lastUseDaysAgo !== null) {
        await makeSession(testDb, { grantId: grant.id, identityId: person.id, entitlementId: ent, applicationId: app.id, startedAt: at(lastUseDaysAgo * DAY), minutes: 10 });
      }
      expectKey(name, `unused_standing_privilege:${grant.id}`);
    }
  }

  // 8. Break-glass use not reviewed.
  {
    const { entitlement, owner } = await makeAccess(testDb, { breakGlass: true, risk: "critical" });
    for (const name of ["bg.unreviewed", "bg.reviewedItem", "bg.grantReviewedSince", "bg.grantReviewedBefore"] as const) {
      const person = await makePerson(testDb);
      const grant = await makeGrant(testDb, { identityId: person.id, entitlementId: entitlement.id, kind: "eligible", grantedAt: at(300 * DAY) });
      const activation = await makeActivation(testDb, { grantId: grant.id, identityId: person.id, startsAt: at(2 * DAY + HOUR), endsAt: at(2 * DAY), breakGlass: true });
      if (name === "bg.reviewedItem") {
        await makeDecidedBreakGlassReview(testDb, { activationId: activation.id, grantId: grant.id, identityId: person.id, entitlementId: entitlement.id, reviewerId: owner.id, at: at(DAY) });
      }
      if (name === "bg.grantReviewedSince")
        await testDb
          .update(grants)
          .set({ lastReviewedAt: at(DAY) })
          .where(eq(grants.id, grant.id));
      if (name === "bg.grantReviewedBefore")
        await testDb
          .update(grants)
          .set({ lastReviewedAt: at(3 * DAY) })
          .where(eq(grants.id, grant.id));
      expectKey(name, `break_glass_unreviewed:${activation.id}`);
    }
  }

  // 9. Separation of duties: a rule of three entitlements across three applications; nobody may hold two of them.
  {
    const clerk = await makeAccess(testDb, { privileged: false }).then((x) => x.entitlement);
    const approver = await makeAccess(testDb, { privileged: false }).then((x) => x.entitlement);
    const controller = await makeAccess(testDb, { privileged: false }).then((x) => x.entitlement);
    const rule = await makeSodRule(testDb, { entitlementIds: [clerk.id, approver.id, controller.id] });
    const live = { status: "active" } as const;
    for (const [name, holdings] of [
      [
        "sod.twoOfThree",
        [
          [clerk.id, live],
          [approver.id, live],
        ],
      ],
      [
        "sod.allThree",
        [
          [clerk.id, live],
          [approver.id, live],
          [controller.id, live],
        ],
      ],
      [
        "sod.secondRevoked",
        [
          [clerk.id, live],
          [approver.id, { status: "revoked" }],
        ],
      ],
      ["sod.oneOnly", [[clerk.id, live]]],
      [
        "sod.sameTwice",
        [
          [clerk.id, live],
          [clerk.id, { status: "active", kind: "eligible" }],
        ],
      ],
    ] as const) {
      const person = await makePerson(testDb);
      for (const [k, [entitlementId, grant]] of holdings.entries()) {
        await makeGrant(testDb, { identityId: person.id, entitlementId, grantedAt: at((300 - 30 * k) * DAY), ...grant });
      }
      expectKey(name, `sod_conflict:${rule.id}:${person.id}`);
    }
  }

  summary = await recomputeAt((n) => testDeps(() => n), now);
});

const produced = async (name: string) => {
  const finding = await findingFor(testDb, keys[name]!);
  return finding?.status === "open" ? finding : null;
};

describe("drift detection: each kind, and its near miss", () => {
  it("1. used without approval: a session one minute inside an activation is fine, one minute after it ended is not; attempts and requests are not uses", async () => {
    expect(await produced("uwa.inside")).toBeNull();
    const after = await produced("uwa.after");
    expect(after).toMatchObject({ kind: "used_without_approval", severity: "high" });
    expect(after!.evidence).toMatchObject({ sessions: 1, usageEvents: 0 });
    expect(after!.reason).toMatch(/used role-\w+ in App \w+ once with no approved grant or activation/);
    expect(after!.ownerId).not.toBeNull();
    expect(await produced("uwa.nogrant")).toMatchObject({ kind: "used_without_approval" });
    expect(await produced("uwa.beforeEnd")).toBeNull();
    expect(await produced("uwa.afterEnd")).toMatchObject({ kind: "used_without_approval" });
    expect(await produced("uwa.failed")).toBeNull();
    expect(await produced("uwa.request")).toBeNull();
  });

  it("2. expired but live: seen in the target after expiry, or never removed; not when last seen before a processed expiry, nor before it expires; sessions past an activation", async () => {
    expect((await produced("ebl.seenAfter"))!.reason).toMatch(/still showed it on/);
    expect(await produced("ebl.seenBefore")).toBeNull();
    expect((await produced("ebl.neverRemoved"))!.reason).toMatch(/nothing removed it/);
    expect(await produced("ebl.notYet")).toBeNull();
    const overran = await produced("ebl.overran");
    expect(overran!.evidence).toMatchObject({ longestOverrunMinutes: 5 });
    expect(await produced("ebl.withinWindow")).toBeNull();
  });

  it("3. revocation not applied: a minute past the SLA and unverified; not a minute before, not once verified", async () => {
    const late = await produced("rna.late");
    expect(late).toMatchObject({ kind: "revocation_not_applied", severity: "high" });
    expect(late!.reason).toContain("failed");
    expect(await produced("rna.stillInSla")).toBeNull();
    expect(await produced("rna.verified")).toBeNull();
  });

  it("4. re-granted after revocation: re-added by a sync; not when a new approval came after the revocation", async () => {
    const back = await produced("rar.sync");
    expect(back).toMatchObject({ kind: "regranted_after_revocation" });
    expect(back!.reason).toContain("re-added by scim");
    expect(await produced("rar.approvedAgain")).toBeNull();
  });

  it("5. orphan and leaver accounts: active ones only", async () => {
    expect(await produced("orphan.active")).toMatchObject({ kind: "orphan_account" });
    expect(await produced("orphan.disabled")).toBeNull();
    const leaver = await produced("leaver.keeps");
    expect(leaver).toMatchObject({ kind: "leaver_account" });
    expect(leaver!.reason).toMatch(/left on .* but still has an active account \(acct-\w+\) and 1 live grant/);
    expect(await produced("leaver.clean")).toBeNull();
  });

  it("6. non-human identities: no owner, or an owner who left (the leaver's manager inherits it); not when owned or retired", async () => {
    expect(await produced("nhi.noOwner")).toMatchObject({ kind: "nhi_no_owner", ownerId: null });
    expect(await produced("nhi.ownerLeft")).toMatchObject({ kind: "nhi_owner_leaver", ownerId: keys["nhi.ownerLeft.manager"] });
    expect(await produced("nhi.owned")).toBeNull();
    expect(await produced("nhi.retired")).toBeNull();
  });

  it("7. unused standing privilege: last use 91 days ago is, 89 days ago is not; too new or not privileged is not", async () => {
    const stale = await produced("usp.used91");
    expect(stale).toMatchObject({ kind: "unused_standing_privilege", severity: "critical" });
    expect(stale!.reason).toContain("has not used it in 90 days (last used");
    expect(await produced("usp.used89")).toBeNull();
    expect(await produced("usp.new")).toBeNull();
    expect((await produced("usp.neverUsed"))!.reason).toContain("no recorded use since it was granted");
    expect(await produced("usp.notPrivileged")).toBeNull();
  });

  it("8. break-glass use: unreviewed is (critical once the 24-hour review is overdue); a decided review or a later review of the grant is not", async () => {
    expect(await produced("bg.unreviewed")).toMatchObject({ kind: "break_glass_unreviewed", severity: "critical" });
    expect(await produced("bg.reviewedItem")).toBeNull();
    expect(await produced("bg.grantReviewedSince")).toBeNull();
    expect(await produced("bg.grantReviewedBefore")).toMatchObject({ kind: "break_glass_unreviewed" });
  });

  it("9. SoD conflict: two (or all) of a rule's three entitlements live; not one, not one held twice, not when the second was revoked", async () => {
    const conflict = await produced("sod.twoOfThree");
    expect(conflict).toMatchObject({ kind: "sod_conflict", severity: "high", reason: expect.stringContaining("holds 2 of the 3 entitlements of the rule") });
    const grantIds = (conflict!.evidence as { grantIds: string[] }).grantIds;
    expect(grantIds).toHaveLength(2);
    // The finding points at the grant that completed the conflict, the newer one.
    expect(conflict!.grantId).toBe(grantIds[1]);
    const all = await produced("sod.allThree");
    expect(all).toMatchObject({ reason: expect.stringContaining("holds all 3 entitlements") });
    expect((all!.evidence as { grantIds: string[] }).grantIds).toHaveLength(3);
    expect(await produced("sod.oneOnly")).toBeNull();
    expect(await produced("sod.sameTwice")).toBeNull();
    expect(await produced("sod.secondRevoked")).toBeNull();
  });

  it("summarises the run by kind", () => {
    expect(summary.opened).toBeGreaterThanOrEqual(15);
    expect(summary.reopened).toBe(0);
    for (const kind of [
      "used_without_approval",
      "expired_but_live",
      "revocation_not_applied",
      "regranted_after_revocation",
      "orphan_account",
      "leaver_account",
      "nhi_no_owner",
      "nhi_owner_leaver",
      "unused_standing_privilege",
      "break_glass_unreviewed",
      "sod_conflict",
    ]) {
      expect(summary.found[kind], kind).toBeGreaterThan(0);
    }
  });
});
