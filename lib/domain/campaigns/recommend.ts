export type Recommendation = "certify" | "revoke" | "reduce" | "none";

export interface UsageFacts {
  identityStatus: "active" | "suspended" | "leaver";
  nonHuman: boolean;
  /** Status of a non-human identity's owner; null when it has none. */
  ownerStatus: "active" | "suspended" | "leaver" | null;
  privileged: boolean;
  kind: "standing" | "time_bound" | "eligible";
  grantedAt: Date;
  lastUsedAt: Date | null;
  /** Distinct days with a session or usage event inside the review window. */
  usageDays: number;
  windowDays: number;
  peersHolding: number;
  peerCount: number;
  now: Date;
}

/** Days without use after which access should go. */
export const UNUSED_DAYS = 90;
/** Used on fewer days than this in the window is "rarely". */
export const REGULAR_USE_DAYS = 5;

const DAY = 86_400_000;

/**
 * What Accord suggests for one item, with the reason in words a reviewer can check against the
 * evidence beside it. The launch computes the same in SQL (recommendationSql); an integration
 * test holds the two to the same answers.
 */
export function recommend(f: UsageFacts): { recommendation: Recommendation; reason: string } {
  if (f.identityStatus === "leaver") return { recommendation: "revoke", reason: "The holder has left the organisation." };
  if (f.nonHuman && f.ownerStatus === null) return { recommendation: "revoke", reason: "This non-human identity has no owner." };
  if (f.nonHuman && f.ownerStatus === "leaver") return { recommendation: "revoke", reason: "The owner of this non-human identity has left." };

  const cutoff = f.now.getTime() - UNUSED_DAYS * DAY;
  if (f.grantedAt.getTime() < cutoff && (f.lastUsedAt === null || f.lastUsedAt.getTime() < cutoff)) {
    return {
      recommendation: "revoke",
      reason: f.lastUsedAt === null ? `Never used, held for more than ${UNUSED_DAYS} days.` : `Not used in the last ${UNUSED_DAYS} days.`,
    };
  }
  if (f.privileged && f.kind === "standing" && f.usageDays > 0 && f.usageDays < REGULAR_USE_DAYS) {
    return {
      recommendation: "reduce",
      reason: `Privileged standing access used on only ${f.usageDays} of the last ${f.windowDays} days: make it just-in-time.`,
    };
  }
  if (f.usageDays >= REGULAR_USE_DAYS) {
    if (f.peerCount >= 2 && f.peersHolding * 2 >= f.peerCount) {
      return { recommendation: "certify", reason: `Used on ${f.usageDays} of the last ${f.windowDays} days; held by ${f.peersHolding} of ${f.peerCount} peers.` };
    }
    return { recommendation: "none", reason: `Used on ${f.usageDays} of the last ${f.windowDays} days, but held by only ${f.peersHolding} of ${f.peerCount} peers.` };
  }
  return { recommendation: "none", reason: "Not enough use in the window to recommend either way." };
}
