import { describe, expect, it } from "vitest";
import { callbackToken, checkCallbackToken } from "../callback-token";
import { formatGroupMapping, parseGroupMapping } from "./config";
import { isRetryableStatus, redact } from "./http";

describe("connector helpers", () => {
  it("parses the group mapping, naming bad lines, and formats it back sorted", () => {
    expect(parseGroupMapping("b = g2\n\n# note\na=g1")).toEqual({ mapping: { a: "g1", b: "g2" }, errors: [] });
    expect(parseGroupMapping("x = y = z\nnothing").errors).toEqual(['line 2: expected "entitlement name = SCIM group id"']);
    expect(parseGroupMapping("x = y = z").mapping).toEqual({ "x = y": "z" });
    expect(formatGroupMapping({ b: "2", a: "1" })).toBe("a = 1\nb = 2");
  });

  it("redacts every occurrence of a secret, and ignores empty ones", () => {
    expect(redact("Bearer abcd1234 and abcd1234", ["abcd1234", null, ""])).toBe("Bearer [redacted] and [redacted]");
  });

  it("retries only overload and outage statuses", () => {
    expect([500, 502, 503, 429, 408].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 302].some(isRetryableStatus)).toBe(false);
  });

  it("derives a per-revocation callback token that only that revocation and secret accept", () => {
    const token = callbackToken("secret-1", "rev-1");
    expect(checkCallbackToken("secret-1", "rev-1", token)).toBe(true);
    expect(checkCallbackToken("secret-1", "rev-2", token)).toBe(false);
    expect(checkCallbackToken("secret-2", "rev-1", token)).toBe(false);
    expect(checkCallbackToken("secret-1", "rev-1", token.slice(0, -1))).toBe(false);
  });
});
