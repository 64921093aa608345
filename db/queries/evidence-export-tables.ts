import { sql, type SQL } from "drizzle-orm";

/**
 * The auditor export's tables, each a SELECT whose columns are the file's columns, in order.
 * Every value leaves PostgreSQL as text (timestamps as ISO 8601 UTC with milliseconds, JSON
 * documents as their text) so the CSV and JSON writers only place strings; `type` says how the
 * JSON writer types the value. Column names are a contract (README "Evidence export").
 */
export type ColumnType = "text" | "integer" | "boolean" | "timestamp" | "json";

export interface ExportColumn {
  name: string;
  type: ColumnType;
  /** The value as text, for CSV. */
  sql: string;
  /** The value typed for JSON: numbers, booleans and documents stay what they are. */
  json: string;
}

export type ExportScope = { kind: "campaign"; campaignId: string } | { kind: "period"; from: Date; to: Date };

export const ts = (x: string) => `to_char((${x}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const JSON_TYPE: Record<ColumnType, (expr: string) => string> = {
  text: (e) => e,
  timestamp: ts,
  integer: (e) => `(${e})::bigint`,
  boolean: (e) => `(${e})::boolean`,
  json: (e) => `(${e})::jsonb`,
};
const col = (name: string, type: ColumnType, expr: string): ExportColumn => ({
  name,
  type,
  sql: type === "timestamp" ? ts(expr) : type === "text" ? expr : `(${expr})::text`,
  json: JSON_TYPE[type](expr),
});
const ev = (path: string) => `r.evidence #>> '{${path}}'`;

/** Review items in scope, alias r. */
export function itemsInScope(scope: ExportScope): SQL {
  return scope.kind === "campaign"
    ? sql`r.campaign_id = ${scope.campaignId}::uuid`
    : sql`r.snapshot_at >= ${scope.from.toISOString()}::timestamptz and r.snapshot_at < ${scope.to.toISOString()}::timestamptz`;
}

// Items in the order of the review_items_subject index (campaign, grant, stage): no sort needed.
const ITEM_ORDER = "r.campaign_id, r.subject_key, r.stage";

export interface ExportTable {
  name: string;
  columns: ExportColumn[];
  /** FROM and joins; the scope condition is added on r. */
  from: string;
  order: string;
}

export const ITEM_TABLES: ExportTable[] = [
  {
    name: "items",
    from: `review_items r join campaigns c on c.id = r.campaign_id
      left join identities rv on rv.id = r.reviewer_id
      left join identities dby on dby.id = r.decided_by_id
      left join revocations v on v.id = r.revocation_id`,
    order: ITEM_ORDER,
    columns: [
      col("item_id", "text", "r.id::text"),
      col("campaign_id", "text", "r.campaign_id::text"),
      col("campaign_name", "text", "c.name"),
      col("stage", "integer", "r.stage"),
      col("grant_id", "text", "r.grant_id::text"),
      col("identity_id", "text", "r.identity_id::text"),
      col("identity_name", "text", ev("identity,name")),
      col("identity_email", "text", ev("identity,email")),
      col("identity_kind", "text", ev("identity,kind")),
      col("identity_type", "text", ev("identity,type")),
      col("identity_status_at_launch", "text", ev("identity,status")),
      col("entitlement_id", "text", "r.entitlement_id::text"),
      col("entitlement_name", "text", ev("entitlement,name")),
      col("application_name", "text", ev("entitlement,application")),
      col("privileged", "boolean", ev("entitlement,privileged")),
      col("grant_kind", "text", ev("grant,kind")),
      col("grant_source", "text", ev("grant,source")),
      col("grant_granted_at", "timestamp", `(${ev("grant,grantedAt")})::timestamptz`),
      col("grant_expires_at", "timestamp", `(${ev("grant,expiresAt")})::timestamptz`),
      col("grant_requested_by", "text", ev("grant,requestedBy")),
      col("grant_approved_by", "text", ev("grant,approvedBy")),
      col("grant_approved_at", "timestamp", `(${ev("grant,approvedAt")})::timestamptz`),
      col("grant_justification", "text", ev("grant,justification")),
      col("grant_ticket", "text", ev("grant,ticket")),
      col("reviewer_id", "text", "r.reviewer_id::text"),
      col("reviewer_name", "text", "rv.display_name"),
      col("reviewer_reason", "text", "r.reviewer_reason"),
      col("original_reviewer_id", "text", "r.original_reviewer_id::text"),
      col("due_at", "timestamp", "r.due_at"),
      col("recommendation", "text", "r.recommendation::text"),
      col("recommendation_reason", "text", "r.recommendation_reason"),
      col("status", "text", "r.status::text"),
      col("decision", "text", "r.decision::text"),
      col("decided_by_id", "text", "r.decided_by_id::text"),
      col("decided_by_name", "text", "dby.display_name"),
      col("decided_at", "timestamp", "r.decided_at"),
      col("comment", "text", "r.comment"),
      col("seconds_spent", "integer", "r.seconds_spent"),
      col("bulk", "boolean", "r.bulk"),
      col("reduce_to", "text", "r.reduce_to"),
      col("reduce_expires_at", "timestamp", "r.reduce_expires_at"),
      col("revocation_id", "text", "r.revocation_id::text"),
      col("revocation_status", "text", "v.status::text"),
      col("snapshot_at", "timestamp", "r.snapshot_at"),
    ],
  },
  {
    name: "evidence_snapshots",
    from: "review_items r",
    order: ITEM_ORDER,
    columns: [col("item_id", "text", "r.id::text"), col("snapshot_at", "timestamp", "r.snapshot_at"), col("evidence", "json", "r.evidence")],
  },
  {
    name: "decisions",
    from: `review_items r join review_decisions d on d.review_item_id = r.id
      join identities da on da.id = d.actor_id
      left join identities rt on rt.id = d.reassigned_to_id`,
    order: `${ITEM_ORDER}, d.created_at, d.id`,
    columns: [
      col("decision_id", "text", "d.id::text"),
      col("item_id", "text", "r.id::text"),
      col("campaign_id", "text", "r.campaign_id::text"),
      col("decision", "text", "d.decision::text"),
      col("actor_id", "text", "d.actor_id::text"),
      col("actor_name", "text", "da.display_name"),
      col("decided_at", "timestamp", "d.created_at"),
      col("comment", "text", "d.comment"),
      col("seconds_spent", "integer", "d.seconds_spent"),
      col("bulk", "boolean", "d.bulk"),
      col("reassigned_to_id", "text", "d.reassigned_to_id::text"),
      col("reassigned_to_name", "text", "rt.display_name"),
      col("undone_at", "timestamp", "d.undone_at"),
    ],
  },
  {
    name: "approvals",
    from: `review_items r join grants g on g.id = r.grant_id
      join access_requests q on q.id = g.request_id
      join approval_steps st on st.request_id = q.id
      join identities qr on qr.id = q.requester_id
      left join identities sa on sa.id = st.approver_id
      left join identities sd on sd.id = st.decided_by_id`,
    order: `${ITEM_ORDER}, st.position`,
    columns: [
      col("item_id", "text", "r.id::text"),
      col("grant_id", "text", "g.id::text"),
      col("request_id", "text", "q.id::text"),
      col("requester_id", "text", "q.requester_id::text"),
      col("requester_name", "text", "qr.display_name"),
      col("beneficiary_id", "text", "q.beneficiary_id::text"),
      col("request_kind", "text", "q.kind::text"),
      col("break_glass", "boolean", "q.break_glass"),
      col("justification", "text", "q.justification"),
      col("ticket", "text", "q.ticket"),
      col("requested_at", "timestamp", "q.created_at"),
      col("request_status", "text", "q.status::text"),
      col("step_position", "integer", "st.position"),
      col("step_rule", "text", "st.rule::text"),
      col("approver_id", "text", "st.approver_id::text"),
      col("approver_name", "text", "sa.display_name"),
      col("step_status", "text", "st.status::text"),
      col("decided_by_id", "text", "st.decided_by_id::text"),
      col("decided_by_name", "text", "sd.display_name"),
      col("decided_at", "timestamp", "st.decided_at"),
      col("approved_duration_minutes", "integer", "st.approved_duration_minutes"),
      col("comment", "text", "st.comment"),
    ],
  },
  {
    name: "sessions",
    // The review window: from the snapshot's window start to the snapshot (what the reviewer could have seen).
    from: `review_items r join privileged_sessions ps on ps.grant_id = r.grant_id
      and ps.started_at >= (${ev("usage,windowStart")})::timestamptz and ps.started_at < r.snapshot_at`,
    order: `${ITEM_ORDER}, ps.started_at, ps.id`,
    columns: [
      col("item_id", "text", "r.id::text"),
      col("session_id", "integer", "ps.id"),
      col("source", "text", "ps.source"),
      col("source_session_id", "text", "ps.source_session_id"),
      col("identity_id", "text", "ps.identity_id::text"),
      col("account_name", "text", "ps.account_name"),
      col("login", "text", "ps.login"),
      col("target", "text", "ps.target"),
      col("started_at", "timestamp", "ps.started_at"),
      col("ended_at", "timestamp", "ps.ended_at"),
      col("duration_seconds", "integer", "ps.duration_seconds"),
      col("recording_ref", "text", "ps.recording_ref"),
      col("activation_id", "text", "ps.activation_id::text"),
      col("request_id", "text", "ps.request_id::text"),
      col("used_without_approval", "boolean", "ps.used_without_approval"),
      col("shown_to_reviewer", "boolean", "exists (select 1 from jsonb_array_elements(r.evidence -> 'usage' -> 'sessions') s where (s ->> 'id')::bigint = ps.id)"),
    ],
  },
  {
    name: "revocations",
    from: "review_items r join revocations v on v.id = r.revocation_id",
    order: ITEM_ORDER,
    columns: [
      col("revocation_id", "text", "v.id::text"),
      col("item_id", "text", "r.id::text"),
      col("grant_id", "text", "v.grant_id::text"),
      col("cause", "text", "v.cause::text"),
      col("cause_ref", "text", "v.cause_ref"),
      col("status", "text", "v.status::text"),
      col("connector_kind", "text", "v.connector_kind::text"),
      col("verification", "text", "v.verification::text"),
      col("requested_by_id", "text", "v.requested_by_id::text"),
      col("requested_at", "timestamp", "v.requested_at"),
      col("dispatched_at", "timestamp", "v.dispatched_at"),
      col("applied_at", "timestamp", "v.applied_at"),
      col("verified_at", "timestamp", "v.verified_at"),
      col("failed_at", "timestamp", "v.failed_at"),
      col("sla_due_at", "timestamp", "v.sla_due_at"),
      col("attempts", "integer", "v.attempts"),
      col("last_error", "text", "v.last_error"),
    ],
  },
  {
    name: "revocation_receipts",
    from: "review_items r join revocation_attempts ra on ra.revocation_id = r.revocation_id",
    order: `${ITEM_ORDER}, ra.attempt, ra.started_at, ra.id`,
    columns: [
      col("attempt_id", "text", "ra.id::text"),
      col("revocation_id", "text", "ra.revocation_id::text"),
      col("item_id", "text", "r.id::text"),
      col("attempt", "integer", "ra.attempt"),
      col("phase", "text", "ra.phase"),
      col("outcome", "text", "ra.outcome"),
      col("error", "text", "ra.error"),
      col("started_at", "timestamp", "ra.started_at"),
      col("finished_at", "timestamp", "ra.finished_at"),
      col("request", "json", "ra.request"),
      col("response", "json", "ra.response"),
    ],
  },
];

/** The audit segment: every event from `fromId` to `toId`, in chain order. */
export const AUDIT_TABLE = {
  name: "audit_events",
  columns: [
    col("id", "integer", "a.id"),
    col("occurred_at", "timestamp", "a.occurred_at"),
    col("actor_kind", "text", "a.actor_kind::text"),
    col("actor_id", "text", "a.actor_id::text"),
    col("actor_label", "text", "a.actor_label"),
    col("on_behalf_of_id", "text", "a.on_behalf_of_id::text"),
    col("action", "text", "a.action"),
    col("entity_type", "text", "a.entity_type"),
    col("entity_id", "text", "a.entity_id"),
    col("before", "json", "a.before"),
    col("after", "json", "a.after"),
    col("reason", "text", "a.reason"),
    col("request_id", "text", "a.request_id"),
    col("prev_hash", "text", "a.prev_hash"),
    col("hash", "text", "a.hash"),
  ],
} satisfies Pick<ExportTable, "name" | "columns">;

export const EXPORT_TABLE_NAMES = [...ITEM_TABLES.map((t) => t.name), AUDIT_TABLE.name] as const;
