import { describe, expect, it } from "vitest";
import { eventsOf, fixtureLines, parseAll, statusCounts } from "../fixtures";
import { parseLine } from ".";

const lines = fixtureLines("cloudtrail-panther-test-events.ndjson");
const results = parseAll("cloudtrail", lines);
const eventAt = (n: number) => eventsOf([results[n - 1]!])[0]!;

describe("cloudtrail parser", () => {
  it("reads the records and rejects the ones without a time, naming the field", () => {
    expect(statusCounts(results)).toEqual({ event: 63, rejected: 7 });
    const rejected = results.filter((r) => r.outcome.status === "rejected");
    expect(rejected.map((r) => r.line)).toEqual([26, 27, 28, 29, 30, 31, 46]);
    expect(rejected[0]!.outcome).toEqual({ status: "rejected", reason: "eventTime: required (a timestamp); eventName: required" });
  });

  it("ConsoleLogin is a sign-in (failed when the response says so), AssumeRole a role assumption, the rest API calls", () => {
    expect(eventAt(32)).toMatchObject({ kind: "sign_in", action: "ConsoleLogin", failed: false, account: { name: "anaya" } });
    expect(eventAt(33)).toMatchObject({ kind: "sign_in", failed: true });
    expect(eventAt(55)).toMatchObject({
      kind: "role_assumption",
      target: "arn:aws:iam::123456789012:role/FullAdminRole",
      entitlementHints: ["arn:aws:iam::123456789012:role/FullAdminRole", "FullAdminRole"],
    });
    expect(eventAt(57)).toMatchObject({ kind: "role_assumption", failed: true });
    expect(eventAt(58)).toMatchObject({ kind: "api_call", action: "CreateAccessKey", target: "iam.amazonaws.com" });
    expect(eventAt(42).account.name).toBe("root");
  });

  it("attributes an assumed role to its session name and names the role and Identity Center permission set", () => {
    expect(eventAt(35)).toMatchObject({
      account: { name: "nicholas.hakmiller", externalId: "AROASXP6SDP2F4WLQVARB:nicholas.hakmiller" },
      entitlementHints: expect.arrayContaining(["AWSReservedSSO_DevAdmin_635426549a280cc6", "DevAdmin"]),
    });
    expect(eventAt(15).entitlementHints).toContain("DevAdmin");
  });

  it("never keeps the session credentials of an AssumeRole response", () => {
    const line = lines.findIndex((l) => l.includes("SampleSessionToken"));
    const event = eventAt(line + 1);
    expect(JSON.stringify(event.raw)).not.toContain("SampleSessionToken");
    expect(JSON.stringify(event.raw)).toContain("[removed by Accord]");
  });

  it("gives records without eventID a content hash, the same every time", () => {
    const noId = results.find((r) => r.outcome.status === "event" && !JSON.parse(lines[r.line - 1]!).eventID)!;
    const again = parseLine("cloudtrail", lines[noId.line - 1]!);
    expect(again).toMatchObject({ event: { eventId: expect.stringMatching(/^sha256:/) } });
    expect(again).toEqual(noId.outcome);
  });

  it("rejects malformed records", () => {
    expect(parseLine("cloudtrail", JSON.stringify({ eventName: "GetObject", eventTime: "yesterday" }))).toEqual({ status: "rejected", reason: 'eventTime: "yesterday" is not an ISO 8601 timestamp' });
    expect(parseLine("cloudtrail", JSON.stringify({ eventName: "GetObject", eventTime: "2024-01-01T00:00:00Z", userIdentity: "bob" }))).toMatchObject({
      status: "rejected",
      reason: expect.stringContaining("userIdentity:"),
    });
  });
});
