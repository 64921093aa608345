import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limit";

describe("RateLimiter", () => {
  it("allows the limit per window, then says how long to wait, then allows again", () => {
    const limiter = new RateLimiter(3, 60_000);
    const t0 = 1_000_000;
    expect([limiter.take("k", t0), limiter.take("k", t0), limiter.take("k", t0)]).toEqual([0, 0, 0]);
    expect(limiter.take("k", t0 + 1_000)).toBe(59);
    expect(limiter.take("other", t0 + 1_000)).toBe(0);
    expect(limiter.take("k", t0 + 60_000)).toBe(0);
  });
});
