import { describe, expect, it } from "vitest";
import { actorFor, makeApplication, makeEntitlement, makeGrant, makePerson, makeSession } from "@/lib/testing/factories";
import { rejectionMessages } from "@/lib/testing/errors";
import { testDb, testDeps } from "@/lib/testing/test-db";
import { browseSessions, getSessionStory } from "./sessions";

async function world() {
  const manager = await makePerson(testDb);
  const report = await makePerson(testDb, { managerId: manager.id });
  const stranger = await makePerson(testDb);
  const owner = await makePerson(testDb);
  const app = await makeApplication(testDb, { ownerIds: [owner.id] });
  const otherApp = await makeApplication(testDb);
  const root = await makeEntitlement(testDb, { applicationId: app.id, name: "root", privileged: true });
  const view = await makeEntitlement(testDb, { applicationId: otherApp.id, name: "view" });
  const rootGrant = await makeGrant(testDb, { identityId: report.id, entitlementId: root.id });
  const viewGrant = await makeGrant(testDb, { identityId: stranger.id, entitlementId: view.id });
  const source = `src-${Math.random().toString(36).slice(2, 8)}`;
  const at = (m: number) => new Date(Date.UTC(2024, 2, 1, 10, m));
  const reportSession = await makeSession(testDb, { source, grantId: rootGrant.id, identityId: report.id, applicationId: app.id, entitlementId: root.id, startedAt: at(0), minutes: 30 });
  const strangerSession = await makeSession(testDb, { source, grantId: viewGrant.id, identityId: stranger.id, applicationId: otherApp.id, entitlementId: view.id, startedAt: at(1), minutes: 5 });
  const orphanSession = await makeSession(testDb, { source, grantId: null, identityId: null, applicationId: app.id, accountName: "legacy-admin", startedAt: at(2), minutes: 7 });
  const unapproved = await makeSession(testDb, {
    source,
    grantId: null,
    identityId: report.id,
    applicationId: app.id,
    entitlementId: root.id,
    usedWithoutApproval: true,
    startedAt: at(3),
    minutes: 9,
  });
  return { manager, report, stranger, owner, app, source, reportSession, strangerSession, orphanSession, unapproved, rootGrant };
}

const ids = (page: { rows: { id: number }[] }) => page.rows.map((r) => r.id).sort((a, b) => a - b);

describe("sessions, scoped like grants", () => {
  it("managers see their people's sessions, owners everything in their application (unmatched included), others nothing more", async () => {
    const w = await world();
    const deps = testDeps();
    const as = async (id: string) => actorFor(testDb, id);
    const bySource = { source: w.source };
    expect(ids(await browseSessions(deps, await as(w.manager.id), bySource))).toEqual([w.reportSession.id, w.unapproved.id].sort((a, b) => a - b));
    expect(ids(await browseSessions(deps, await as(w.owner.id), bySource))).toEqual([w.reportSession.id, w.orphanSession.id, w.unapproved.id].sort((a, b) => a - b));
    expect(ids(await browseSessions(deps, await as(w.stranger.id), bySource))).toEqual([w.strangerSession.id]);
    const auditor = await makePerson(testDb, { roles: ["auditor"] });
    expect(ids(await browseSessions(deps, await as(auditor.id), bySource))).toHaveLength(4);

    expect(await rejectionMessages(getSessionStory(deps, await as(w.stranger.id), String(w.reportSession.id)))).toMatch(/not found/);
    expect(await rejectionMessages(getSessionStory(deps, await as(w.manager.id), "not-a-number"))).toMatch(/not found/);
    const story = await getSessionStory(deps, await as(w.manager.id), String(w.reportSession.id));
    expect(story).toMatchObject({ session: { durationSeconds: 1800 }, grant: { id: w.rootGrant.id }, identity: { id: w.report.id } });
  });

  it("filters by approval, privilege, unmatched account, identity search and application, and pages by keyset", async () => {
    const w = await world();
    const deps = testDeps();
    const admin = await actorFor(testDb, (await makePerson(testDb, { roles: ["admin"] })).id);
    const list = (f: Parameters<typeof browseSessions>[2]) => browseSessions(deps, admin, { source: w.source, ...f }).then(ids);
    expect(await list({ withoutApproval: true })).toEqual([w.unapproved.id]);
    expect(await list({ privileged: true })).toEqual([w.reportSession.id, w.unapproved.id].sort((a, b) => a - b));
    expect(await list({ privileged: false })).toEqual([w.strangerSession.id, w.orphanSession.id].sort((a, b) => a - b));
    expect(await list({ unmatched: true })).toEqual([w.orphanSession.id]);
    expect(await list({ q: w.report.displayName })).toEqual([w.reportSession.id, w.unapproved.id].sort((a, b) => a - b));
    expect(await list({ q: "LEGACY-admin" })).toEqual([w.orphanSession.id]);
    expect(await list({ applicationId: w.app.id })).toHaveLength(3);
    expect(await list({ application: w.app.name.slice(0, 10) })).toEqual(expect.arrayContaining([w.orphanSession.id]));

    const first = await browseSessions(deps, admin, { source: w.source, limit: 3 });
    expect(first.rows.map((r) => r.id)).toEqual([w.unapproved.id, w.orphanSession.id, w.strangerSession.id]);
    const second = await browseSessions(deps, admin, { source: w.source, limit: 3, cursor: first.nextCursor });
    expect(second.rows.map((r) => r.id)).toEqual([w.reportSession.id]);
    expect(second.nextCursor).toBeNull();
    expect(first.sources).toContain(w.source);
  });
});
