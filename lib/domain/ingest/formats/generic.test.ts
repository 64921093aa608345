import { describe, expect, it } from "vitest";
import { parseLine } from ".";

const line = (value: Record<string, unknown>) => parseLine("generic", JSON.stringify(value));

describe("generic parser", () => {
  it("reads the documented fields", () => {
    expect(line({ id: "e1", time: "2025-03-01T10:00:00Z", user: "jdoe", kind: "api_call", action: "GET /admin", application: "Billing", entitlement: "admin", target: "billing-1" })).toMatchObject({
      status: "event",
      event: {
        eventId: "e1",
        kind: "api_call",
        action: "GET /admin",
        application: "Billing",
        entitlementHints: ["admin"],
        target: "billing-1",
        account: { name: "jdoe", externalId: null },
        failed: false,
      },
    });
    expect(line({ id: "e2", time: "2025-03-01T10:00:00Z", user: null })).toMatchObject({ event: { kind: "other", action: "other", account: { name: null } } });
  });

  it("sessions: an end may carry its start, so the duration is known whichever arrives first", () => {
    const end = line({ id: "e3", time: "2025-03-01T11:00:00Z", user: "jdoe", session: { id: "s1", phase: "end", startedAt: "2025-03-01T10:00:00Z" } });
    expect(end).toMatchObject({ event: { kind: "session", action: "session.end", session: { id: "s1", phase: "end" } } });
    if (end.status !== "event") throw new Error();
    expect(end.event.session!.startedAt!.toISOString()).toBe("2025-03-01T10:00:00.000Z");
    expect(end.event.session!.endedAt!.toISOString()).toBe("2025-03-01T11:00:00.000Z");
  });

  it("rejects missing and unknown fields by name, so typos are not silently dropped", () => {
    expect(line({ time: "2025-03-01T10:00:00Z", user: "x" })).toEqual({ status: "rejected", reason: "id: required (unique per source)" });
    expect(line({ id: "e", time: "2025-03-01T10:00:00Z" })).toEqual({ status: "rejected", reason: "user: required (the user name in the application, or null)" });
    expect(line({ id: "e", time: "2025-03-01T10:00:00Z", user: "x", usr: "y" })).toMatchObject({ status: "rejected", reason: expect.stringContaining('Unrecognized key: "usr"') });
    expect(line({ id: "e", time: "2025-03-01T10:00:00Z", user: "x", kind: "coffee" })).toMatchObject({ status: "rejected", reason: expect.stringContaining("kind:") });
    expect(line({ id: "e", time: "2025-03-01T10:00:00Z", user: "x", session: { id: "s", phase: "middle" } })).toMatchObject({ status: "rejected", reason: expect.stringContaining("session.phase:") });
  });
});
