import { describe, expect, it } from "vitest";
import { nextReviewDue } from "./review-interval";

describe("nextReviewDue", () => {
  const at = new Date("2026-01-01T12:00:00Z");
  const intervals = { privilegedReviewDays: 90, standardReviewDays: 365 };

  it("schedules privileged access 90 days out and other access a year out", () => {
    expect(nextReviewDue(at, true, intervals).toISOString()).toBe("2026-04-01T12:00:00.000Z");
    expect(nextReviewDue(at, false, intervals).toISOString()).toBe("2027-01-01T12:00:00.000Z");
  });

  it("follows a campaign's own intervals", () => {
    expect(nextReviewDue(at, true, { privilegedReviewDays: 30, standardReviewDays: 180 }).toISOString()).toBe("2026-01-31T12:00:00.000Z");
  });
});
