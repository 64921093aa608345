import { describe, expect, it } from "vitest";
import { formatDateTime, formatDuration, formatRelative } from "./format";

describe("format", () => {
  it("writes absolute UTC times", () => {
    expect(formatDateTime(new Date("2026-03-04T05:06:07Z"))).toBe("2026-03-04 05:06 UTC");
  });
  it("writes durations exactly enough for evidence", () => {
    expect(formatDuration(42)).toBe("42 s");
    expect(formatDuration(45 * 60)).toBe("45 min");
    expect(formatDuration(2 * 3600 + 5 * 60)).toBe("2 h 05 min");
    expect(formatDuration(50 * 3600)).toBe("2 d 2 h");
  });
  it("writes relative times both ways", () => {
    const now = new Date("2026-11-23T12:00:00Z");
    expect(formatRelative(new Date("2026-11-20T12:00:00Z"), now)).toBe("3 days ago");
    expect(formatRelative(new Date("2026-11-23T14:00:00Z"), now)).toBe("in 2 hours");
  });
});
