import { describe, expect, it } from "vitest";
import { storableJson, storableText } from "./storable";

describe("storable values", () => {
  it("escapes control characters in text columns so a value cannot forge a line or a terminal colour", () => {
    expect(storableText("bob\r\nadmin\u001b[31m", 100)).toBe("bob\\x0d\\x0aadmin\\x1b[31m");
    expect(storableText("x".repeat(10), 5)).toBe("xxxx…");
    expect(storableText("a\ud800b", 10)).toBe("a\ufffdb");
  });

  it("replaces NUL and lone surrogates in the raw event, which jsonb refuses", () => {
    expect(storableJson({ a: "x\u0000y", b: ["\udc00"] })).toBe('{"a":"x\ufffdy","b":["\ufffd"]}');
    expect(storableJson({ a: "fine 😀" })).toBe('{"a":"fine 😀"}');
  });
});
