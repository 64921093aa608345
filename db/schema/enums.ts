import { pgEnum } from "drizzle-orm/pg-core";

export const identityKind = pgEnum("identity_kind", ["human", "non_human"]);
export const identityType = pgEnum("identity_type", ["employee", "contractor", "third_party", "service_account", "api_key", "token", "workload", "ai_agent"]);
export const identityStatus = pgEnum("identity_status", ["active", "suspended", "leaver"]);
export const platformRole = pgEnum("platform_role", ["admin", "auditor"]);
export const lifecycleKind = pgEnum("lifecycle_kind", ["joiner", "mover", "leaver", "reactivation", "suspension"]);
export const credentialKind = pgEnum("credential_kind", ["api_key", "access_key", "token", "certificate", "password", "ssh_key"]);

export const riskLevel = pgEnum("risk_level", ["low", "medium", "high", "critical"]);
export const connectorKind = pgEnum("connector_kind", ["scim", "webhook", "manual", "none"]);
export const entitlementKind = pgEnum("entitlement_kind", ["role", "group", "permission", "policy"]);
export const accountStatus = pgEnum("account_status", ["active", "disabled", "deleted"]);

export const grantKind = pgEnum("grant_kind", ["standing", "time_bound", "eligible"]);
export const grantStatus = pgEnum("grant_status", ["active", "pending_revocation", "revoked", "expired"]);
export const grantSource = pgEnum("grant_source", ["request", "import", "scim", "direct", "detected"]);
/** What the target system last said about this grant: the live half of approved-vs-live. */
export const liveState = pgEnum("live_state", ["unknown", "present", "absent"]);
export const activationStatus = pgEnum("activation_status", ["pending", "active", "ended", "expired"]);

export const requestStatus = pgEnum("request_status", ["pending", "approved", "denied", "expired", "cancelled", "fulfilled"]);
export const approverRule = pgEnum("approver_rule", ["manager", "app_owner", "entitlement_owner", "named"]);
export const stepStatus = pgEnum("step_status", ["waiting", "pending", "approved", "denied", "skipped", "expired"]);
/** Who decides a step whose own approvers are gone (a manager step that ran out of managers goes to the app owners first). */
export const stepRoute = pgEnum("step_route", ["app_owners", "admins"]);

export const usageKind = pgEnum("usage_kind", ["sign_in", "api_call", "role_assumption", "session", "group_change", "other"]);

export const campaignStatus = pgEnum("campaign_status", ["draft", "launching", "active", "closing", "closed", "cancelled"]);
export const reviewerRule = pgEnum("reviewer_rule", ["manager", "app_owner", "entitlement_owner", "nhi_owner", "named"]);
export const closePolicy = pgEnum("close_policy", ["revoke", "keep_and_flag", "extend_once"]);
export const recurrence = pgEnum("recurrence", ["none", "quarterly", "yearly", "custom"]);
export const reviewItemStatus = pgEnum("review_item_status", ["pending", "decided", "closed"]);
export const reviewDecision = pgEnum("review_decision", ["certify", "revoke", "reduce", "reassign"]);
export const recommendation = pgEnum("recommendation", ["certify", "revoke", "reduce", "none"]);

export const revocationCause = pgEnum("revocation_cause", ["review", "request_denial", "expiry", "finding", "admin", "reduce", "leaver"]);
export const revocationStatus = pgEnum("revocation_status", ["requested", "dispatched", "applied", "verified", "failed"]);
/** How a revocation was confirmed; "superseded": not removed in the target because another live grant of the same identity still needs the entitlement (a reduction to time-bound). */
export const verificationMethod = pgEnum("verification_method", ["read_back", "callback", "attestation", "superseded"]);

export const findingKind = pgEnum("finding_kind", [
  "used_without_approval",
  "expired_but_live",
  "revocation_not_applied",
  "regranted_after_revocation",
  "orphan_account",
  "leaver_account",
  "nhi_no_owner",
  "nhi_owner_leaver",
  "unused_standing_privilege",
  "break_glass_unreviewed",
  "sod_conflict",
  "credential_not_rotated",
]);
export const findingStatus = pgEnum("finding_status", ["open", "resolved", "accepted"]);

export const actorKind = pgEnum("actor_kind", ["human", "system", "api_token"]);

export const importStatus = pgEnum("import_status", ["uploaded", "invalid", "previewed", "applying", "applied", "failed"]);
export const webhookDeliveryStatus = pgEnum("webhook_delivery_status", ["pending", "delivered", "failed"]);
