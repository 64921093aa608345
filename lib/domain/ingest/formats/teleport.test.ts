import { describe, expect, it } from "vitest";
import { eventsOf, fixtureLines, parseAll, statusCounts } from "../fixtures";
import { parseLine } from ".";

const all = parseAll("teleport", fixtureLines("teleport-audit-events-all-types.ndjson"));
const byLine = (n: number) => all[n - 1]!.outcome;
const eventAt = (n: number) => {
  const o = byLine(n);
  if (o.status !== "event") throw new Error(`line ${n} is ${o.status}`);
  return o.event;
};

describe("teleport parser", () => {
  it("reads every event type in Teleport's catalogue without rejecting any", () => {
    expect(statusCounts(all)).toEqual({ event: 162, ignored: 3 });
    const types = new Set(fixtureLines("teleport-audit-events-all-types.ndjson").map((l) => JSON.parse(l).event));
    expect(types.size).toBe(97);
    // Recording payload is deliberately not evidence.
    expect(all.filter((r) => r.outcome.status === "ignored").map((r) => JSON.parse(fixtureLines("teleport-audit-events-all-types.ndjson")[r.line - 1]!).event)).toEqual([
      "resize",
      "app.session.chunk",
      "app.session.chunk",
    ]);
  });

  it("gives a session end its start and stop, so the duration is known even when the end comes first", () => {
    const end = eventAt(30);
    expect(end).toMatchObject({ kind: "session", action: "session.end", account: { name: "foo" }, target: "ip-172-31-30-254", failed: false });
    expect(end.session).toMatchObject({ id: "9d92ad96-a45c-4add-463cc7bc48b1", phase: "end", login: "root", participants: ["foo"] });
    expect(end.session!.startedAt!.toISOString()).toBe("2021-05-21T22:23:55.313Z");
    expect(end.session!.endedAt!.toISOString()).toBe("2021-05-21T22:54:27.122Z");
    expect(end.session!.recordingRef).toBe("tsh play 9d92ad96-a45c-4add-463cc7bc48b1");
    // session_recording "off": nothing to replay.
    expect(eventAt(32).session!.recordingRef).toBeNull();
  });

  it("reads starts, joins and activity of ssh, database, app and desktop sessions", () => {
    expect(eventAt(28).session).toMatchObject({ phase: "start", id: "56408539-6536-11e9-80a1-427cfde50f5a", login: "root" });
    expect(eventAt(33).session).toMatchObject({ phase: "join", participants: ["admin@example.com"] });
    expect(eventAt(94)).toMatchObject({ kind: "session", session: { phase: "start", login: "alice" }, target: "mongo-primary" });
    expect(eventAt(97).session).toMatchObject({ phase: "end" });
    expect(eventAt(96)).toMatchObject({ failed: true, session: { phase: "activity" } });
    expect(eventAt(108).session).toMatchObject({ phase: "start", login: "Administrator" });
    expect(eventAt(110)).toMatchObject({ failed: true, session: { phase: "start" } });
    expect(eventAt(83)).toMatchObject({ kind: "session", target: "clusterOne", session: { phase: "activity" } });
  });

  it("classifies the rest: sign-ins, calls, access requests (not a use), and other events kept as usage", () => {
    expect(eventAt(25)).toMatchObject({ kind: "sign_in", failed: false, account: { name: "admin@example.com" } });
    expect(eventAt(27)).toMatchObject({ kind: "sign_in", failed: true });
    expect(eventAt(84)).toMatchObject({ kind: "api_call", action: "kube.request" });
    expect(eventAt(9)).toMatchObject({ kind: "other", use: false, linkRequest: true, entitlementHints: ["admin"], target: "access request 66b827b2-1b0b-512b-965d-6c789388d3c9" });
    // The reviewer of a request is the one acting.
    expect(eventAt(10).account.name).toBe("Sam_Waters");
    expect(eventAt(22)).toMatchObject({ kind: "other", action: "user.create", use: true });
    // {user: {user: "lisa"}} in device events; identity.user in certificates.
    expect(eventAt(160).account.name).toBe("lisa");
    expect(eventAt(122).account.name).toBe("alice");
    // Watching a recording names the sid but is not taking part in that session.
    expect(eventAt(149)).toMatchObject({ kind: "other", session: undefined });
    // An empty sid is no session.
    expect(eventAt(39)).toMatchObject({ kind: "api_call", session: undefined });
  });

  it("uses uid as the event id, else sid and index, else the content's hash", () => {
    expect(eventAt(28).eventId).toBe(JSON.parse(fixtureLines("teleport-audit-events-all-types.ndjson")[27]!).uid);
    const noUid = eventAt(6);
    expect(noUid.eventId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(parseLine("teleport", fixtureLines("teleport-audit-events-all-types.ndjson")[5]!)).toMatchObject({ event: { eventId: noUid.eventId } });
    const indexed = parseLine("teleport", JSON.stringify({ event: "session.command", sid: "s1", ei: 7, time: "2024-01-01T00:00:00Z", user: "u" }));
    expect(indexed).toMatchObject({ event: { eventId: "s1:7" } });
  });

  it("turns a recorded session's stream into a start, a leave and an end, and ignores the terminal output", () => {
    const results = parseAll("teleport", fixtureLines("teleport-session-recording-vim.ndjson"));
    expect(statusCounts(results)).toEqual({ event: 3, ignored: 157 });
    const events = eventsOf(results);
    expect(events.map((e) => e.session?.phase)).toEqual(["start", "leave", "end"]);
    expect(new Set(events.map((e) => e.session?.id))).toEqual(new Set(["516965e5-e6ef-11e9-9d5b-42010a80002b"]));
    expect(events[0]!.occurredAt.toISOString()).toBe("2019-10-04T21:38:35.351Z");
    expect(events[2]!.session!.endedAt!.toISOString()).toBe("2019-10-04T21:39:40.418Z");
  });

  it("reads Panther's Teleport events, and rejects the one whose time is not a time", () => {
    const results = parseAll("teleport", fixtureLines("teleport-panther-test-events.ndjson"));
    expect(statusCounts(results)).toEqual({ event: 20, rejected: 1 });
    expect(results[13]!.outcome).toEqual({ status: "rejected", reason: 'time: "2023-09-20T23:00:000.000000Z" is not an ISO 8601 timestamp' });
    // "2023-09-18 11:22:33": a space instead of T, no zone (UTC).
    expect(eventsOf([results[14]!])[0]!.occurredAt.toISOString()).toBe("2023-09-18T11:22:33.000Z");
  });

  it("rejects malformed lines with the field and the reason", () => {
    expect(parseLine("teleport", "{not json")).toMatchObject({ status: "rejected", reason: expect.stringMatching(/^not valid JSON/) });
    expect(parseLine("teleport", "[1,2]")).toEqual({ status: "rejected", reason: "expected one JSON object per line" });
    expect(parseLine("teleport", JSON.stringify({ time: "2024-01-01T00:00:00Z" }))).toEqual({ status: "rejected", reason: "event: required (the event type)" });
    expect(parseLine("teleport", JSON.stringify({ event: "session.start" }))).toEqual({ status: "rejected", reason: "time: required (a timestamp)" });
    expect(parseLine("teleport", JSON.stringify({ event: "session.start", time: "2024-02-30T00:00:00Z" }))).toMatchObject({ status: "rejected", reason: expect.stringContaining("time:") });
    expect(parseLine("teleport", JSON.stringify({ event: "x", time: "2024-01-01T00:00:00Z", participants: "bob" }))).toMatchObject({
      status: "rejected",
      reason: expect.stringContaining("participants:"),
    });
  });
});
