import { describe, expect, it } from "vitest";
import { metricFiltersSchema, resolvePeriod } from "./filters";
import { metricItemsSchema } from "./items";

const now = new Date("2026-11-23T10:00:00Z");

describe("dashboard filters", () => {
  it("defaults to the last 90 UTC days, today counted up to now", () => {
    const p = resolvePeriod(metricFiltersSchema.parse({}), now);
    expect(p).toMatchObject({ fromDay: "2026-08-26", toDay: "2026-11-23", days: 90 });
    expect(p.start.toISOString()).toBe("2026-08-26T00:00:00.000Z");
    expect(p.end).toEqual(now);
  });

  it("ends a past period at midnight after its last day, and never counts days after today", () => {
    expect(resolvePeriod(metricFiltersSchema.parse({ from: "2026-11-01", to: "2026-11-15" }), now).end.toISOString()).toBe("2026-11-16T00:00:00.000Z");
    expect(resolvePeriod(metricFiltersSchema.parse({ period: "30", to: "2027-01-01" }), now)).toMatchObject({ toDay: "2026-11-23", end: now });
  });

  it("drops what is not a filter rather than failing the page, and refuses a period that runs backwards", () => {
    expect(metricFiltersSchema.parse({ applicationId: "nope", identityType: "robot", from: "2026-02-31", period: "7" })).toEqual({});
    expect(() => resolvePeriod({ from: "2026-11-20", to: "2026-11-01" }, now)).toThrow(/starts after it ends/);
    expect(() => resolvePeriod({ from: "2020-01-01" }, now)).toThrow(/at most 731 days/);
  });

  it("names the list behind a figure, refusing impossible days", () => {
    expect(metricItemsSchema.safeParse({ metric: "standing", day: "2026-11-20" }).success).toBe(true);
    expect(metricItemsSchema.safeParse({ metric: "standing", day: "2026-02-31" }).success).toBe(false);
    expect(metricItemsSchema.safeParse({ metric: "campaign", view: "launched" }).success).toBe(false);
    expect(metricItemsSchema.safeParse({ metric: "reviewer", reviewer: "x" }).success).toBe(false);
    expect(metricItemsSchema.safeParse({ metric: "reviewer" }).success).toBe(true);
  });
});
