import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "./secret-box";

describe("secret box", () => {
  it("round-trips and never stores the plaintext", () => {
    const sealed = sealSecret("whsec_super-secret");
    expect(sealed).not.toContain("super-secret");
    expect(openSecret(sealed)).toBe("whsec_super-secret");
    expect(sealSecret("same")).not.toBe(sealSecret("same"));
  });
  it("refuses a tampered secret", () => {
    const sealed = sealSecret("value");
    const parts = sealed.split(".");
    parts[3] = Buffer.from("other").toString("base64url");
    expect(() => openSecret(parts.join("."))).toThrow();
  });
});
