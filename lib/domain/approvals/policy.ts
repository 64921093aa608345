/**
 * An entitlement's request policy, evaluated as pure functions: what may be asked for, who must
 * approve it and in what order, and how long a just-in-time window may last. The services load
 * the facts; everything that decides is here, so it is unit-tested without a database.
 */

export type GrantKind = "standing" | "time_bound" | "eligible";
export type ApproverRule = "manager" | "app_owner" | "entitlement_owner" | "named";

export interface EntitlementPolicy {
  privileged: boolean;
  breakGlass: boolean;
  allowedKinds: readonly GrantKind[];
  /** Time-bound: the longest grant. Eligible: the longest activation window. */
  maxDurationMinutes: number | null;
  requiresTicket: boolean;
  approvalChain: readonly ApproverRule[];
  twoPersonRule: boolean;
}

export const MINUTE_MS = 60_000;
/** A JIT window when the policy sets no maximum. */
export const DEFAULT_ACTIVATION_MAX_MINUTES = 8 * 60;
/** Nothing is granted for longer than a year and a day through a request; beyond that, ask for standing. */
export const MAX_GRANT_MINUTES = 366 * 24 * 60;
/** A break-glass use must be reviewed by someone else within this time. */
export const BREAK_GLASS_REVIEW_HOURS = 24;

/** Ticket references as trackers write them: ENG-5188, INC0012345, CHG-42. */
export const TICKET_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,15}-?[0-9]{1,12}$/;
export const TICKET_FORMAT_MESSAGE = "Use a ticket reference such as ENG-5188 or INC0012345.";

export const KIND_LABEL: Record<GrantKind, string> = { standing: "standing", time_bound: "time-bound", eligible: "just-in-time (eligible)" };
const CHAIN_ORDER: readonly ApproverRule[] = ["manager", "app_owner", "entitlement_owner", "named"];

export type FieldErrors = Record<string, string[]>;

export function describeMinutes(minutes: number): string {
  if (minutes % (24 * 60) === 0) return `${minutes / (24 * 60)} day${minutes === 24 * 60 ? "" : "s"}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? "" : "s"}`;
  return `${minutes} minutes`;
}

/** The kinds someone may request; break-glass access is only ever held as eligible (activated in an emergency). */
export function requestableKinds(policy: Pick<EntitlementPolicy, "allowedKinds" | "breakGlass">): GrantKind[] {
  const kinds = (["time_bound", "eligible", "standing"] as const).filter((k) => policy.allowedKinds.includes(k));
  return policy.breakGlass ? kinds.filter((k) => k === "eligible") : kinds;
}

export interface RequestAsk {
  kind: GrantKind;
  /** Time-bound: the grant's length (required). Eligible: how long the eligibility lasts (optional). Standing: none. */
  durationMinutes: number | null;
  ticket: string | null;
}

/** Field errors for a request against the policy; empty when it may be submitted. */
export function checkRequest(policy: EntitlementPolicy, ask: RequestAsk): FieldErrors {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const kinds = requestableKinds(policy);
  if (kinds.length === 0) add("kind", "This entitlement cannot be requested: its policy allows no kind of access.");
  else if (!kinds.includes(ask.kind)) add("kind", `This entitlement's policy allows only ${kinds.map((k) => KIND_LABEL[k]).join(" or ")} access.`);

  if (ask.kind === "time_bound") {
    if (ask.durationMinutes === null) add("duration", "Say how long you need time-bound access.");
    else if (policy.maxDurationMinutes !== null && ask.durationMinutes > policy.maxDurationMinutes) {
      add("duration", `The policy allows at most ${describeMinutes(policy.maxDurationMinutes)}.`);
    }
  }
  if (ask.kind === "standing" && ask.durationMinutes !== null) add("duration", "Standing access has no end date; choose time-bound for access that ends.");
  if (ask.durationMinutes !== null && ask.durationMinutes > MAX_GRANT_MINUTES) add("duration", `At most ${describeMinutes(MAX_GRANT_MINUTES)}.`);
  if (policy.requiresTicket && !ask.ticket) add("ticket", "This entitlement's policy requires a ticket reference.");
  return errors;
}

/** The longest JIT window the policy allows. */
export function activationLimitMinutes(policy: Pick<EntitlementPolicy, "maxDurationMinutes">): number {
  return policy.maxDurationMinutes ?? DEFAULT_ACTIVATION_MAX_MINUTES;
}

export interface ActivationAsk {
  minutes: number;
  breakGlass: boolean;
  incidentId: string | null;
  ticket: string | null;
}

/** Field errors for a JIT or break-glass activation against the policy. */
export function checkActivation(policy: EntitlementPolicy, ask: ActivationAsk): FieldErrors {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const limit = activationLimitMinutes(policy);
  if (ask.minutes > limit) add("durationMinutes", `The policy allows windows of at most ${describeMinutes(limit)}.`);
  if (policy.breakGlass && !ask.breakGlass) add("form", "This is break-glass access: use the break-glass form, which records an incident.");
  if (!policy.breakGlass && ask.breakGlass) add("form", "Only entitlements marked break-glass can be activated as break-glass.");
  if (ask.breakGlass && !ask.incidentId) add("incidentId", "Break-glass needs the incident it is for.");
  // A break-glass use is justified by its incident; an ordinary window by a ticket when the policy asks.
  if (!ask.breakGlass && policy.requiresTicket && !ask.ticket) add("ticket", "This entitlement's policy requires a ticket reference.");
  return errors;
}

/** The chain in its fixed order; privileged entitlements with an owner also need that owner's approval. */
export function effectiveChain(policy: Pick<EntitlementPolicy, "approvalChain" | "privileged">, hasEntitlementOwner: boolean): ApproverRule[] {
  const rules = new Set(policy.approvalChain);
  if (policy.privileged && hasEntitlementOwner) rules.add("entitlement_owner");
  return CHAIN_ORDER.filter((r) => rules.has(r));
}

export interface ChainFacts {
  requesterId: string;
  beneficiaryId: string;
  /** Active humans above the beneficiary, nearest first (for a non-human identity: its owner, then the owner's managers). */
  managerLine: readonly string[];
  /** Active owners of the application. */
  appOwnerIds: readonly string[];
  /** The entitlement's owner when active. */
  entitlementOwnerId: string | null;
  /** Active people the entitlement's owner named as approvers. */
  namedApproverIds: readonly string[];
}

export interface PlannedStep {
  rule: ApproverRule;
  /** A named person (the manager step), or null when any of `candidates` may decide (owners, named approvers). */
  approverId: string | null;
  candidates: string[];
  /** Why nobody is asked at this step. */
  skipReason: string | null;
}

export type ChainPlan = { ok: true; steps: PlannedStep[] } | { ok: false; reason: string };

/**
 * Resolves the approval chain to people. Nobody approves access for themselves, so the
 * requester and the beneficiary are never candidates; the manager step climbs to the next
 * manager when the nearest one is the requester (a manager asking for a report). A step with
 * nobody to ask is skipped and says why; a chain with nobody at all, or a privileged request
 * that could not get two different approvers, is refused before it is submitted.
 */
export function planChain(policy: EntitlementPolicy, facts: ChainFacts): ChainPlan {
  const self = new Set([facts.requesterId, facts.beneficiaryId]);
  const others = (ids: readonly (string | null)[]) => [...new Set(ids.filter((id): id is string => Boolean(id) && !self.has(id!)))];
  const steps: PlannedStep[] = effectiveChain(policy, facts.entitlementOwnerId !== null).map((rule) => {
    if (rule === "manager") {
      const manager = others(facts.managerLine)[0] ?? null;
      return { rule, approverId: manager, candidates: manager ? [manager] : [], skipReason: manager ? null : "No manager on record who could approve." };
    }
    const candidates = others(rule === "app_owner" ? facts.appOwnerIds : rule === "named" ? facts.namedApproverIds : [facts.entitlementOwnerId]);
    const who = { app_owner: "The application has no owner", entitlement_owner: "The entitlement has no owner", named: "There is no active named approver" }[rule];
    return { rule, approverId: null, candidates, skipReason: candidates.length ? null : `${who} other than you who could approve.` };
  });
  const asked = steps.filter((s) => !s.skipReason);
  if (asked.length === 0) return { ok: false, reason: "Nobody can approve this request: there is no manager or owner other than you. Ask an administrator to assign an owner." };
  const everyone = new Set(asked.flatMap((s) => s.candidates));
  if (policy.privileged && policy.twoPersonRule && everyone.size < 2) {
    return { ok: false, reason: "This privileged entitlement needs two different approvers, but only one person could approve it. Ask an administrator to add an owner." };
  }
  return { ok: true, steps };
}

/**
 * Who may still decide a waiting step, given who approved the earlier ones. Under the two-person
 * rule for privileged access an earlier approver is out; in any case, a step whose every
 * candidate has already approved is satisfied (the same person is not asked twice).
 */
export function remainingCandidates(candidates: readonly string[], earlierApproverIds: readonly string[]): string[] {
  const earlier = new Set(earlierApproverIds);
  return candidates.filter((id) => !earlier.has(id));
}

/**
 * What happens at a step the chain reaches: ask the remaining candidates, pass it (everyone who
 * could decide already approved), or nobody may decide it (its people left, or the two-person
 * rule rules out the only ones left), and it must be routed to someone else.
 */
export function stepOnArrival(
  policy: Pick<EntitlementPolicy, "privileged" | "twoPersonRule">,
  args: { candidates: readonly string[]; earlierApproverIds: readonly string[] },
): "ask" | "satisfied" | "nobody" {
  if (args.candidates.length === 0) return "nobody";
  const remaining = remainingCandidates(args.candidates, args.earlierApproverIds);
  if (remaining.length > 0) return "ask";
  // Everyone who could decide has approved already. Privileged access under the two-person rule
  // still needs two different people in total; otherwise the step is satisfied.
  const distinct = new Set(args.earlierApproverIds).size;
  return policy.privileged && policy.twoPersonRule && distinct < 2 ? "nobody" : "satisfied";
}
