import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts, auditEvents, privilegedSessions, usageEvents } from "@/db/schema";
import { makeAccount, makeActivation, makeApplication, makeEntitlement, makeGrant, makePerson, makeRequest } from "@/lib/testing/factories";
import { testDb, testDeps } from "@/lib/testing/test-db";
import type { AuditActor } from "@/lib/domain/audit/record-audit";
import { fixtureLines } from "./fixtures";
import type { IngestFormat } from "./formats";
import { ingestEvents, IngestInterrupted, type IngestOptions } from "./ingest";

const actor: AuditActor = { kind: "system", id: null, label: "test" };
const T = (iso: string) => new Date(iso);

async function* bodyOf(lines: string[], failAfter?: number) {
  let n = 0;
  for (const line of lines) {
    if (failAfter !== undefined && n++ === failAfter) throw new Error("connection reset by peer");
    yield new TextEncoder().encode(`${line}\n`);
  }
}

let sourceCounter = 0;
async function world() {
  const app = await makeApplication(testDb);
  const person = await makePerson(testDb);
  const admin = await makeEntitlement(testDb, { applicationId: app.id, name: "root", privileged: true });
  const reader = await makeEntitlement(testDb, { applicationId: app.id, name: "readonly" });
  await makeAccount(testDb, { applicationId: app.id, identityId: person.id, username: "jdoe" });
  const source = `test-${++sourceCounter}-${Math.random().toString(36).slice(2, 8)}`;
  const ingest = (format: IngestFormat, lines: string[], more: Partial<IngestOptions> & { failAfter?: number } = {}) =>
    ingestEvents(testDeps(), actor, { format, source, applicationId: app.id, ...more }, bodyOf(lines, more.failAfter));
  return { app, person, admin, reader, source, ingest };
}

const generic = (fields: Record<string, unknown>) => JSON.stringify({ user: "jdoe", ...fields });
const sessionsOf = (source: string) => testDb.select().from(privilegedSessions).where(eq(privilegedSessions.source, source));
const eventsOf = (source: string) => testDb.select().from(usageEvents).where(eq(usageEvents.source, source)).orderBy(usageEvents.occurredAt);

describe("evidence ingest", () => {
  it("joins a Teleport session's start and end into one session with its duration, linked to the grant", async () => {
    const w = await world();
    const grant = await makeGrant(testDb, { identityId: w.person.id, entitlementId: w.admin.id, grantedAt: T("2024-01-01T00:00:00Z") });
    const lines = [
      { event: "session.start", uid: "u1", sid: "s-1", time: "2024-03-01T10:00:00Z", user: "jdoe", login: "root", server_hostname: "db-1" },
      { event: "session.command", uid: "u2", sid: "s-1", time: "2024-03-01T10:05:00Z", user: "jdoe", login: "root", program: "psql" },
      { event: "print", sid: "s-1", ei: 3, time: "2024-03-01T10:05:01Z", data: "…" },
      { event: "session.join", uid: "u3", sid: "s-1", time: "2024-03-01T10:10:00Z", user: "auditor-bob", login: "root" },
      {
        event: "session.end",
        uid: "u4",
        sid: "s-1",
        time: "2024-03-01T10:42:00Z",
        user: "jdoe",
        session_start: "2024-03-01T10:00:00Z",
        session_stop: "2024-03-01T10:42:00Z",
        participants: ["jdoe", "auditor-bob"],
      },
    ].map((e) => JSON.stringify(e));
    const result = await w.ingest("teleport", lines, { applicationId: w.app.id });
    expect(result).toMatchObject({ lines: 5, accepted: 3, unmatched: 1, duplicate: 0, rejected: 0, ignored: 1, withoutApproval: 0, committedThroughLine: 5 });
    const [session, ...more] = await sessionsOf(w.source);
    expect(more).toHaveLength(0);
    expect(session).toMatchObject({
      sourceSessionId: "s-1",
      identityId: w.person.id,
      accountName: "jdoe",
      entitlementId: w.admin.id,
      grantId: grant.id,
      target: "db-1",
      login: "root",
      durationSeconds: 42 * 60,
      usedWithoutApproval: false,
      eventIds: ["u1", "u3", "u4"],
      participants: ["auditor-bob", "jdoe"],
      recordingRef: "tsh play s-1",
    });
    const events = await eventsOf(w.source);
    expect(events.map((e) => [e.sourceEventId, e.sessionId === session!.id])).toEqual([
      ["u1", true],
      ["u2", true],
      ["u3", true],
      ["u4", true],
    ]);
    const [account] = await testDb.select().from(accounts).where(eq(accounts.applicationId, w.app.id));
    expect(account!.lastSeenAt).toEqual(T("2024-03-01T10:42:00Z"));
    expect(account!.lastLoginAt).toEqual(T("2024-03-01T10:42:00Z"));
  });

  it("is idempotent: the same file twice stores each event once and leaves the session as it was", async () => {
    const w = await world();
    await makeGrant(testDb, { identityId: w.person.id, entitlementId: w.admin.id, grantedAt: T("2019-01-01T00:00:00Z") });
    const lines = fixtureLines("teleport-session-recording-vim.ndjson").map((l) => l.replaceAll('"rjones"', '"jdoe"'));
    const first = await w.ingest("teleport", lines);
    expect(first).toMatchObject({ accepted: 3, duplicate: 0, ignored: 157, rejected: 0 });
    const before = await sessionsOf(w.source);
    const second = await w.ingest("teleport", lines);
    expect(second).toMatchObject({ accepted: 0, unmatched: 0, duplicate: 3, ignored: 157 });
    expect(await sessionsOf(w.source)).toEqual(before);
    expect(before[0]).toMatchObject({ durationSeconds: 65, startedAt: T("2019-10-04T21:38:35.351Z"), endedAt: T("2019-10-04T21:39:40.418Z") });
    expect(await eventsOf(w.source)).toHaveLength(3);
  });

  it("is order-independent: an end before its start, in separate requests, gives the same session", async () => {
    const w = await world();
    await makeGrant(testDb, { identityId: w.person.id, entitlementId: w.admin.id, grantedAt: T("2019-01-01T00:00:00Z") });
    const lines = fixtureLines("teleport-session-recording-vim.ndjson").map((l) => l.replaceAll('"rjones"', '"jdoe"'));
    const reversed = [...lines].reverse();
    await w.ingest("teleport", reversed.slice(0, 80));
    const [openEnded] = await sessionsOf(w.source);
    // The end carried no session_start: until the start arrives the session starts at its earliest event.
    expect(openEnded).toMatchObject({ endedAt: T("2019-10-04T21:39:40.418Z"), startedAt: T("2019-10-04T21:39:20.415Z"), durationSeconds: 20 });
    await w.ingest("teleport", reversed.slice(80));
    const inOrder = await world();
    await makeGrant(testDb, { identityId: inOrder.person.id, entitlementId: inOrder.admin.id, grantedAt: T("2019-01-01T00:00:00Z") });
    await inOrder.ingest("teleport", lines);
    const pick = (s: typeof privilegedSessions.$inferSelect) => [s.startedAt, s.endedAt, s.durationSeconds, s.eventIds, s.participants, s.login, s.accountName, s.usedWithoutApproval];
    expect(pick((await sessionsOf(w.source))[0]!)).toEqual(pick((await sessionsOf(inOrder.source))[0]!));
  });

  it("links each use to the grant or activation in force at that moment; a minute outside is used without approval", async () => {
    const w = await world();
    // Eligible (JIT) on root: live only 10:00–11:00. Time-bound readonly until 12:00. Nothing before 08:00.
    const jit = await makeGrant(testDb, { identityId: w.person.id, entitlementId: w.admin.id, kind: "eligible", grantedAt: T("2024-03-01T08:00:00Z") });
    const window = await makeActivation(testDb, { grantId: jit.id, identityId: w.person.id, startsAt: T("2024-03-01T10:00:00Z"), endsAt: T("2024-03-01T11:00:00Z") });
    const timed = await makeGrant(testDb, { identityId: w.person.id, entitlementId: w.reader.id, kind: "time_bound", grantedAt: T("2024-03-01T08:00:00Z"), expiresAt: T("2024-03-01T12:00:00Z") });
    const use = (id: string, time: string, entitlement: string) => generic({ id, time, entitlement, kind: "api_call" });
    const result = await w.ingest("generic", [
      use("root-in", "2024-03-01T10:30:00Z", "root"),
      use("root-before", "2024-03-01T09:59:00Z", "root"),
      use("root-after", "2024-03-01T11:01:00Z", "root"),
      use("read-in", "2024-03-01T11:59:00Z", "readonly"),
      use("read-after", "2024-03-01T12:01:00Z", "readonly"),
      use("read-before-grant", "2024-03-01T07:59:00Z", "readonly"),
      // Unknown role name: any approved grant in the application at that time counts.
      use("other-in", "2024-03-01T10:30:00Z", "no-such-role"),
      generic({ id: "failed", time: "2024-03-01T07:00:00Z", kind: "sign_in", outcome: "failure" }),
      generic({ id: "sess", time: "2024-03-01T10:59:00Z", session: { id: "jit-1", phase: "start", login: "root" } }),
      generic({ id: "sess-late", time: "2024-03-01T11:01:00Z", session: { id: "jit-2", phase: "start", login: "root" } }),
    ]);
    expect(result).toMatchObject({ accepted: 10, withoutApproval: 5, rejected: 0 });
    const byId = new Map((await eventsOf(w.source)).map((e) => [e.sourceEventId, e]));
    const link = (id: string) => [byId.get(id)!.grantId, byId.get(id)!.activationId, byId.get(id)!.usedWithoutApproval];
    expect(link("root-in")).toEqual([jit.id, window.id, false]);
    expect(link("root-before")).toEqual([null, null, true]);
    expect(link("root-after")).toEqual([null, null, true]);
    expect(link("read-in")).toEqual([timed.id, null, false]);
    expect(link("read-after")).toEqual([null, null, true]);
    expect(link("read-before-grant")).toEqual([null, null, true]);
    // The live activation is preferred over the time-bound grant.
    expect(link("other-in")).toEqual([jit.id, window.id, false]);
    // A failed attempt is not a use.
    expect(link("failed")).toEqual([null, null, false]);
    const sessions = new Map((await sessionsOf(w.source)).map((s) => [s.sourceSessionId, s]));
    expect(sessions.get("jit-1")).toMatchObject({ grantId: jit.id, activationId: window.id, usedWithoutApproval: false });
    expect(sessions.get("jit-2")).toMatchObject({ grantId: null, activationId: null, usedWithoutApproval: true, entitlementId: w.admin.id });
  });

  it("relinks a session when its start arrives later and moves it into a window", async () => {
    const w = await world();
    const jit = await makeGrant(testDb, { identityId: w.person.id, entitlementId: w.admin.id, kind: "eligible", grantedAt: T("2024-03-01T08:00:00Z") });
    const window = await makeActivation(testDb, { grantId: jit.id, identityId: w.person.id, startsAt: T("2024-03-01T10:00:00Z"), endsAt: T("2024-03-01T11:00:00Z") });
    // The end alone: its own time is outside the window.
    await w.ingest("generic", [generic({ id: "e", time: "2024-03-01T11:30:00Z", session: { id: "s", phase: "end", login: "root" } })]);
    expect((await sessionsOf(w.source))[0]).toMatchObject({ usedWithoutApproval: true, grantId: null });
    await w.ingest("generic", [generic({ id: "s", time: "2024-03-01T10:15:00Z", session: { id: "s", phase: "start", login: "root" } })]);
    expect((await sessionsOf(w.source))[0]).toMatchObject({ usedWithoutApproval: false, grantId: jit.id, activationId: window.id, durationSeconds: 75 * 60 });
  });

  it("keeps events of unknown and orphan accounts, without an identity, and counts them unmatched", async () => {
    const w = await world();
    await makeAccount(testDb, { applicationId: w.app.id, identityId: null, username: "legacy-admin" });
    const result = await w.ingest("generic", [
      generic({ id: "a", time: "2024-03-01T10:00:00Z", user: "ghost", kind: "sign_in" }),
      generic({ id: "b", time: "2024-03-01T10:00:00Z", user: "LEGACY-ADMIN", kind: "sign_in" }),
      generic({ id: "c", time: "2024-03-01T10:00:00Z", user: null, kind: "other" }),
    ]);
    expect(result).toMatchObject({ accepted: 0, unmatched: 3, withoutApproval: 0 });
    const events = await eventsOf(w.source);
    expect(events.map((e) => [e.accountName, e.identityId, e.accountId !== null, e.usedWithoutApproval])).toEqual([
      ["ghost", null, false, false],
      ["LEGACY-ADMIN", null, true, false],
      [null, null, false, false],
    ]);
  });

  it("matches accounts by external id when the user name differs", async () => {
    const w = await world();
    const other = await makePerson(testDb);
    await makeAccount(testDb, { applicationId: w.app.id, identityId: other.id, username: "ana", externalId: "00u123" });
    await w.ingest("okta", [JSON.stringify({ uuid: "o1", published: "2024-03-01T10:00:00Z", eventType: "user.session.start", actor: { alternateId: "ana.new@corp.example", id: "00u123" } })]);
    expect((await eventsOf(w.source))[0]).toMatchObject({ identityId: other.id, accountName: "ana.new@corp.example" });
  });

  it("a malformed line is reported by number and reason, and never stops the rest", async () => {
    const w = await world();
    const result = await w.ingest("generic", [
      generic({ id: "1", time: "2024-03-01T10:00:00Z" }),
      "{oops",
      "",
      generic({ id: "2", time: "not a time" }),
      generic({ id: "3", time: "2024-03-01T10:00:00Z", application: "No such app" }),
      generic({ id: "4", time: "2024-03-01T10:00:00Z", application: w.app.name }),
    ]);
    expect(result).toMatchObject({ lines: 6, accepted: 2, rejected: 3 });
    expect(result.rejectedLines).toEqual([
      { line: 2, reason: expect.stringMatching(/^not valid JSON/) },
      { line: 4, reason: 'time: "not a time" is not an ISO 8601 timestamp' },
      { line: 5, reason: 'application: no application is named "No such app"' },
    ]);
  });

  it("commits in batches: a failure mid-file keeps every acknowledged batch, and resending counts them as duplicates", async () => {
    const w = await world();
    const lines = Array.from({ length: 10 }, (_, i) => generic({ id: `e${i}`, time: `2024-03-01T10:0${i}:00Z` }));
    const error = await w.ingest("generic", lines, { batchSize: 3, failAfter: 7 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestInterrupted);
    const { result } = error as IngestInterrupted;
    expect(result).toMatchObject({ accepted: 6, committedThroughLine: 6 });
    expect(await eventsOf(w.source)).toHaveLength(6);
    const audit = await testDb.select().from(auditEvents).where(eq(auditEvents.entityId, w.source));
    // Two batches are written at once, so their audit rows may land in either order.
    expect(audit.map((a) => (a.after as { toLine: number }).toLine).sort((a, b) => a - b)).toEqual([3, 6]);
    expect(await w.ingest("generic", lines, { batchSize: 3 })).toMatchObject({ accepted: 4, duplicate: 6 });
  });

  it("links access_request events to the Accord request for the same person and entitlement", async () => {
    const w = await world();
    const manager = await makePerson(testDb);
    const { request } = await makeRequest(testDb, { requesterId: w.person.id, entitlementId: w.admin.id, approverIds: [manager.id] });
    const at = new Date(request.createdAt.getTime() + 60_000).toISOString();
    const result = await w.ingest("teleport", [JSON.stringify({ event: "access_request.create", uid: "r1", id: "tp-req-1", time: at, user: "jdoe", roles: ["root"], state: "PENDING" })]);
    // Asking for access is not using it.
    expect(result).toMatchObject({ accepted: 1, withoutApproval: 0 });
    expect((await eventsOf(w.source))[0]).toMatchObject({ requestId: request.id, entitlementId: w.admin.id, target: "access request tp-req-1" });
  });

  it("two shippers sending the same events at once store each once, and both finish", async () => {
    const w = await world();
    const people = await Promise.all(Array.from({ length: 20 }, () => makePerson(testDb)));
    await Promise.all(people.map((p, i) => makeAccount(testDb, { applicationId: w.app.id, identityId: p.id, username: `u${i}` })));
    const lines = Array.from({ length: 400 }, (_, n) =>
      generic({ id: `c${n}`, time: `2024-03-01T10:${String(n % 60).padStart(2, "0")}:00Z`, user: `u${n % 20}`, session: { id: `s${n % 40}`, phase: n < 40 ? "start" : "activity" } }),
    );
    const [a, b] = await Promise.all([w.ingest("generic", lines, { batchSize: 50 }), w.ingest("generic", [...lines].reverse(), { batchSize: 50 })]);
    expect(a.accepted + b.accepted).toBe(400);
    expect(a.duplicate + b.duplicate).toBe(400);
    expect(await eventsOf(w.source)).toHaveLength(400);
    expect(await sessionsOf(w.source)).toHaveLength(40);
  });

  it("stores hostile values safely: NUL, lone surrogates, control characters", async () => {
    const w = await world();
    const result = await w.ingest("generic", [JSON.stringify({ id: "x\u0000y", time: "2024-03-01T10:00:00Z", user: "jdoe\r\nadmin", target: "\u001b[31mred", details: { note: "a\u0000b\ud800" } })]);
    expect(result).toMatchObject({ unmatched: 1, rejected: 0 });
    const [row] = await testDb.execute<{ source_event_id: string; account_name: string; target: string; raw: unknown }>(
      sql`select source_event_id, account_name, target, raw from usage_events where source = ${w.source}`,
    );
    expect(row).toMatchObject({ source_event_id: "x\\x00y", account_name: "jdoe\\x0d\\x0aadmin", target: "\\x1b[31mred" });
    expect(JSON.stringify(row!.raw)).toContain("a\ufffdb\ufffd");
  });
});
