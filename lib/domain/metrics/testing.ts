import type { Executor } from "@/db/client";
import { actorFor, makeActivation, makeApplication, makeEntitlement, makeGrant, makeNonHuman, makePerson, makeSession } from "@/lib/testing/factories";

/**
 * A small constructed timeline, every expected value computed by hand. The clock stands at
 * 2026-11-23 10:00 UTC; the period is 20–23 November, so the 23rd counts up to 10:00 only.
 */
export const TIMELINE_NOW = new Date("2026-11-23T10:00:00Z");
export const t = (iso: string) => new Date(`2026-11-${iso}Z`);

export async function privilegeTimeline(testDb: Executor) {
  const admin = await makePerson(testDb, { roles: ["admin"] });
  const human = await makePerson(testDb);
  const partner = await makePerson(testDb, { type: "third_party" });
  const robot = await makeNonHuman(testDb, { ownerId: human.id });
  const app = await makeApplication(testDb);
  const admin_ = await makeEntitlement(testDb, { applicationId: app.id, privileged: true });
  const other = await makeEntitlement(testDb, { applicationId: app.id, privileged: true });
  const ops = await makeEntitlement(testDb, { applicationId: app.id, privileged: true });
  const reader = await makeEntitlement(testDb, { applicationId: app.id, privileged: false });
  // G1: standing since before the period, never ended: 24 h a day, 10 h on the 23rd.
  const g1 = await makeGrant(testDb, { identityId: human.id, entitlementId: admin_.id, grantedAt: t("01T00:00:00") });
  // G2: a non-human's standing grant from the 21st 06:00 to the 22nd 18:00: 18 h + 18 h.
  const g2 = await makeGrant(testDb, { identityId: robot.id, entitlementId: admin_.id, grantedAt: t("21T06:00:00"), endedAt: t("22T18:00:00"), status: "revoked" });
  // G3: a third party's grant, revoked with no recorded end: ends when its row last changed, 20:00 on the 22nd: 8 h.
  const g3 = await makeGrant(testDb, { identityId: partner.id, entitlementId: admin_.id, grantedAt: t("22T12:00:00"), status: "revoked", updatedAt: t("22T20:00:00") });
  // G4: time-bound, expiring exactly at midnight: 12 h on the 20th, nothing on the 21st.
  const g4 = await makeGrant(testDb, { identityId: human.id, entitlementId: other.id, kind: "time_bound", grantedAt: t("20T12:00:00"), expiresAt: t("21T00:00:00") });
  // Not privileged: never counted. Ended exactly at the period's start: never counted.
  await makeGrant(testDb, { identityId: human.id, entitlementId: reader.id, grantedAt: t("01T00:00:00") });
  await makeGrant(testDb, { identityId: partner.id, entitlementId: other.id, grantedAt: t("19T00:00:00"), endedAt: t("20T00:00:00"), status: "revoked" });
  // G7: JIT. Two overlapping windows across midnight merge to 22:00–02:30 (2 h on the 21st, 2.5 h on
  // the 22nd); a pending one does not count; an open one counts until now (1 h on the 23rd).
  const g7 = await makeGrant(testDb, { identityId: human.id, entitlementId: ops.id, kind: "eligible", grantedAt: t("01T00:00:00") });
  await makeActivation(testDb, { grantId: g7.id, identityId: human.id, startsAt: t("21T22:00:00"), endsAt: t("22T02:00:00"), status: "expired" });
  await makeActivation(testDb, { grantId: g7.id, identityId: human.id, startsAt: t("22T01:00:00"), endsAt: t("22T03:00:00"), endedAt: t("22T02:30:00"), status: "ended" });
  const g8 = await makeGrant(testDb, { identityId: partner.id, entitlementId: ops.id, kind: "eligible", grantedAt: t("01T00:00:00") });
  await makeActivation(testDb, { grantId: g8.id, identityId: partner.id, startsAt: t("23T05:00:00"), endsAt: t("23T06:00:00"), status: "pending" });
  await makeActivation(testDb, { grantId: g7.id, identityId: human.id, startsAt: t("23T09:00:00"), endsAt: t("23T12:00:00"), status: "active" });
  // Sessions on G1: 23:00 for 2 h across midnight, and 23:30 for 30 min inside it (merged: 2 h);
  // one from the 19th 23:00 for 2 h, of which 1 h falls in the period. On G7: 1 h. Used: 4 h.
  await makeSession(testDb, { grantId: g1.id, identityId: human.id, startedAt: t("22T23:00:00"), minutes: 120 });
  await makeSession(testDb, { grantId: g1.id, identityId: human.id, startedAt: t("22T23:30:00"), minutes: 30 });
  await makeSession(testDb, { grantId: g1.id, identityId: human.id, startedAt: t("19T23:00:00"), minutes: 120 });
  await makeSession(testDb, { grantId: g7.id, identityId: human.id, startedAt: t("21T23:00:00"), minutes: 60 });
  return { admin: await actorFor(testDb, admin.id), app, g1, g2, g3, g4, g7 };
}
