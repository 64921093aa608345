import { describe, expect, it } from "vitest";
import { eventsOf, fixtureLines, parseAll, statusCounts } from "../fixtures";
import { parseLine } from ".";

const results = parseAll("entra", fixtureLines("entra-panther-test-events.ndjson"));
const eventAt = (n: number) => eventsOf([results[n - 1]!])[0]!;

describe("entra parser", () => {
  it("reads every record of the diagnostic export", () => {
    expect(statusCounts(results)).toEqual({ event: 46 });
  });

  it("sign-ins by users and service principals, failed when the status has an error code", () => {
    expect(eventAt(3)).toMatchObject({
      kind: "sign_in",
      action: "SignInLogs",
      failed: false,
      account: { name: "aragorn@lotr.com", externalId: "user-victim-123" },
      target: "Microsoft Authentication Broker",
    });
    expect(eventAt(4)).toMatchObject({ kind: "sign_in", failed: true });
    // Lower-case envelope names (operationname, resulttype) are read all the same.
    expect(eventAt(12)).toMatchObject({ kind: "sign_in", action: "ServicePrincipalSignInLogs", failed: true, account: { name: "some-service-principal" } });
    expect(eventAt(15)).toMatchObject({ action: "NonInteractiveUserSignInLogs", failed: false });
  });

  it("audit records: role membership as a group change, the rest as other", () => {
    expect(eventAt(40)).toMatchObject({ kind: "group_change", action: "Add member to role", account: { name: "Radahn@Starscourge.onmicrosoft.com" } });
    expect(eventAt(1)).toMatchObject({ kind: "other", action: "Update authentication methods policy" });
  });

  it("rejects records without a category or a log entry", () => {
    expect(parseLine("entra", JSON.stringify({ time: "2024-01-01T00:00:00Z", properties: {} }))).toMatchObject({ status: "rejected", reason: expect.stringContaining("category:") });
    expect(parseLine("entra", JSON.stringify({ time: "2024-01-01T00:00:00Z", category: "SignInLogs" }))).toMatchObject({ status: "rejected", reason: expect.stringContaining("properties:") });
    expect(parseLine("entra", JSON.stringify({ category: "SignInLogs", properties: {} }))).toEqual({ status: "rejected", reason: "time: required (a timestamp)" });
  });
});
