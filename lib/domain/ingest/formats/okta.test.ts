import { describe, expect, it } from "vitest";
import { eventsOf, fixtureLines, parseAll, statusCounts } from "../fixtures";
import { parseLine } from ".";

const results = parseAll("okta", fixtureLines("okta-panther-test-events.ndjson"));
const eventAt = (n: number) => eventsOf([results[n - 1]!])[0]!;

describe("okta parser", () => {
  it("reads the System Log events and rejects those with a redacted or missing time", () => {
    expect(statusCounts(results)).toEqual({ event: 16, rejected: 6 });
    expect(results[15]!.outcome).toEqual({ status: "rejected", reason: 'published: "redacted" is not an ISO 8601 timestamp' });
    expect(results[18]!.outcome).toEqual({ status: "rejected", reason: "published: required (a timestamp)" });
  });

  it("sign-ins and admin-privilege grants, attributed to the actor's login and Okta id", () => {
    expect(eventAt(2)).toMatchObject({ kind: "sign_in", action: "user.session.start", account: { name: "homer@springfield.gov", externalId: "111111" } });
    expect(eventAt(10)).toMatchObject({ kind: "sign_in", failed: true });
    expect(eventAt(5)).toMatchObject({ kind: "group_change", action: "user.account.privilege.grant", target: "Super administrator, Read only admin ← alice@acme.io" });
    expect(eventAt(1)).toMatchObject({ kind: "other", action: "user.session.impersonation.grant" });
  });

  it("an SSO event with no actor is attributed to the app user it names", () => {
    const event = parseLine(
      "okta",
      JSON.stringify({
        published: "2024-06-04T10:00:00Z",
        eventType: "user.authentication.sso",
        uuid: "u-1",
        target: [
          { type: "AppInstance", displayName: "AWS IAM Identity Center" },
          { type: "AppUser", alternateId: "aardvark" },
        ],
      }),
    );
    expect(event).toMatchObject({ event: { kind: "sign_in", account: { name: "aardvark" }, target: "AWS IAM Identity Center" } });
  });

  it("group membership changes name the group and the member", () => {
    const event = parseLine(
      "okta",
      JSON.stringify({
        published: "2024-06-04T10:00:00Z",
        eventType: "group.user_membership.add",
        uuid: "u-2",
        actor: { alternateId: "admin@corp.example", id: "00a" },
        target: [
          { type: "User", alternateId: "jdoe@corp.example" },
          { type: "UserGroup", displayName: "prod-admins" },
        ],
      }),
    );
    expect(event).toMatchObject({ event: { kind: "group_change", target: "prod-admins ← jdoe@corp.example", account: { name: "admin@corp.example" } } });
  });
});
