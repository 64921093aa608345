import type { ApproverRule } from "./policy";

/**
 * Where an approval step goes when nobody may decide it any more, as the campaign reviewer
 * fallback does for review items: a pure function over facts the service loads, so the ladder
 * is unit-tested without a database.
 */

export type StepRoute = "app_owners" | "admins";

export interface FallbackFacts {
  rule: ApproverRule;
  /** Where the step was routed before, if it was. */
  routedTo: StepRoute | null;
  /** The person the step names (a manager step), with their status now. */
  approver: { id: string; name: string; status: "active" | "suspended" | "leaver" } | null;
  /** Active people above the beneficiary, nearest first. */
  managerLine: readonly { id: string; name: string }[];
  /** Active owners of the application. */
  appOwnerIds: readonly string[];
  /** Active admins who are not auditors. */
  adminIds: readonly string[];
  /** Who may not decide: the requester, the beneficiary and, under the two-person rule, whoever approved an earlier step. */
  excludedIds: readonly string[];
}

export interface FallbackRoute {
  /** The one person now asked (the next manager up), or null when any of `candidates` may decide. */
  approverId: string | null;
  routedTo: StepRoute | null;
  candidates: string[];
  /** Why the step moved and to whom, in words for the request page and the audit trail. */
  reason: string;
}

const RULE_WORDS: Record<ApproverRule, string> = { manager: "manager", app_owner: "application owner", entitlement_owner: "entitlement owner", named: "named approver" };

/** Why nobody on the step may decide it. */
export function whyNobody(f: Pick<FallbackFacts, "rule" | "routedTo" | "approver">): string {
  if (f.approver) {
    const who = `${f.approver.name} (the ${RULE_WORDS[f.rule]})`;
    if (f.approver.status === "leaver") return `${who} has left`;
    if (f.approver.status === "suspended") return `${who} is suspended`;
    return `${who} may not decide it (they already approved an earlier step and two different approvers are required)`;
  }
  if (f.routedTo === "admins") return "No administrator is active and allowed to decide it";
  if (f.routedTo === "app_owners" || f.rule === "app_owner") return "No owner of the application is active and allowed to decide it";
  if (f.rule === "entitlement_owner") return "The entitlement's owner is not active or not allowed to decide it";
  if (f.rule === "named") return "None of the named approvers is active and allowed to decide it";
  return "Nobody on this step is active and allowed to decide it";
}

/**
 * The ladder: a manager step goes to the next active manager up the line, else to the
 * application's owners; an owner or named step to the application's owners; either, failing
 * those, to the admins. Nobody excluded is ever chosen. Null when there is nowhere left to go
 * (the step stays and says so).
 */
export function fallbackRoute(f: FallbackFacts): FallbackRoute | null {
  const excluded = new Set(f.excludedIds);
  const free = (ids: readonly string[]) => ids.filter((id) => !excluded.has(id));
  const why = whyNobody(f);
  if (f.rule === "manager" && f.routedTo === null) {
    const next = f.managerLine.find((m) => !excluded.has(m.id) && m.id !== f.approver?.id);
    if (next) return { approverId: next.id, routedTo: null, candidates: [next.id], reason: `${why}: routed to ${next.name}, the next manager up the line.` };
  }
  if (f.routedTo === "admins") return null;
  const owners = f.routedTo === "app_owners" ? [] : free(f.appOwnerIds);
  if (owners.length > 0) return { approverId: null, routedTo: "app_owners", candidates: owners, reason: `${why}: routed to the application's owners.` };
  const admins = free(f.adminIds);
  if (admins.length > 0) return { approverId: null, routedTo: "admins", candidates: admins, reason: `${why}: routed to the administrators.` };
  return null;
}
