import { describe, expect, it } from "vitest";
import { recommend, type UsageFacts } from "./recommend";

const now = new Date("2026-06-01T00:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
const base: UsageFacts = {
  identityStatus: "active",
  nonHuman: false,
  ownerStatus: null,
  privileged: false,
  kind: "standing",
  grantedAt: daysAgo(400),
  lastUsedAt: daysAgo(2),
  usageDays: 30,
  windowDays: 90,
  peersHolding: 8,
  peerCount: 10,
  now,
};

describe("recommend", () => {
  it("revokes a leaver's access whatever the usage", () => {
    expect(recommend({ ...base, identityStatus: "leaver" }).recommendation).toBe("revoke");
  });

  it("revokes for an ownerless NHI and for one whose owner left, not for one with an active owner", () => {
    expect(recommend({ ...base, nonHuman: true, ownerStatus: null })).toEqual({ recommendation: "revoke", reason: "This non-human identity has no owner." });
    expect(recommend({ ...base, nonHuman: true, ownerStatus: "leaver" }).reason).toBe("The owner of this non-human identity has left.");
    expect(recommend({ ...base, nonHuman: true, ownerStatus: "active" }).recommendation).toBe("certify");
  });

  it("revokes after 90 days unused, but not at 89, and not a grant younger than 90 days", () => {
    expect(recommend({ ...base, lastUsedAt: daysAgo(91), usageDays: 0 })).toEqual({ recommendation: "revoke", reason: "Not used in the last 90 days." });
    expect(recommend({ ...base, lastUsedAt: daysAgo(89), usageDays: 1 }).recommendation).not.toBe("revoke");
    expect(recommend({ ...base, grantedAt: daysAgo(30), lastUsedAt: null, usageDays: 0 }).recommendation).toBe("none");
    expect(recommend({ ...base, lastUsedAt: null, usageDays: 0 }).reason).toBe("Never used, held for more than 90 days.");
  });

  it("suggests just-in-time for privileged standing access used rarely", () => {
    const rare = { ...base, privileged: true, usageDays: 3, lastUsedAt: daysAgo(10) };
    expect(recommend(rare)).toEqual({
      recommendation: "reduce",
      reason: "Privileged standing access used on only 3 of the last 90 days: make it just-in-time.",
    });
    expect(recommend({ ...rare, kind: "eligible" }).recommendation).toBe("none");
    expect(recommend({ ...rare, usageDays: 5 }).recommendation).toBe("certify");
  });

  it("certifies regular use held by most peers, and only flags regular use peers do not share", () => {
    expect(recommend(base)).toEqual({ recommendation: "certify", reason: "Used on 30 of the last 90 days; held by 8 of 10 peers." });
    expect(recommend({ ...base, peersHolding: 1 }).recommendation).toBe("none");
    expect(recommend({ ...base, peersHolding: 1, peerCount: 1 }).recommendation).toBe("none");
  });
});
