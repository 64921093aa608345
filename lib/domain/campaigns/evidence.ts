/** The evidence snapshot frozen on each review item at launch (built in SQL by insertReviewItems). */
export interface ItemEvidence {
  origin: Record<string, unknown> | null;
  identity: {
    id: string;
    name: string;
    email: string | null;
    kind: "human" | "non_human";
    type: string;
    status: "active" | "suspended" | "leaver";
    department: string | null;
    title: string | null;
    organization: string | null;
    leftAt: string | null;
    manager: string | null;
    managerStatus: string | null;
    owner: string | null;
    ownerStatus: string | null;
  };
  entitlement: {
    id: string;
    name: string;
    description: string | null;
    privileged: boolean;
    riskLevel: string;
    breakGlass: boolean;
    application: string;
    applicationId: string;
  };
  grant: {
    kind: "standing" | "time_bound" | "eligible";
    source: string;
    grantedAt: string;
    expiresAt: string | null;
    requestedBy: string | null;
    approvedBy: string | null;
    approvedAt: string | null;
    justification: string | null;
    ticket: string | null;
    lastReviewedAt: string | null;
    liveState: string;
    approvalChain: { position: number; rule: string; status: string; by: string | null; at: string | null; comment: string | null }[] | null;
  };
  usage: {
    windowDays: number;
    windowStart: string;
    lastUsedAt: string | null;
    usageDays: number;
    sessionCount: number;
    privilegedHours: number;
    activations: number;
    sessions: { id: number; startedAt: string; endedAt: string | null; durationSeconds: number | null; login: string | null; target: string | null; source: string }[];
  };
  peers: { holding: number; total: number };
  previousDecisions: { decision: string; decidedAt: string; by: string | null; comment: string | null; campaignId: string }[];
  findings: { kind: string; severity: string; reason: string }[];
}

/** Certifying privileged access nobody used in the window needs a reason in words. */
export function needsComment(evidence: ItemEvidence, privileged: boolean): boolean {
  return privileged && evidence.usage.sessionCount === 0 && evidence.usage.usageDays === 0;
}

/** The jsonb column holds what insertReviewItems built; this is its shape. */
export function evidenceOf(item: { evidence: Record<string, unknown> }): ItemEvidence {
  return item.evidence as unknown as ItemEvidence;
}
