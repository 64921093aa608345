import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { decodeCursor, toPage } from "./cursor";
import { escapeLike } from "./identities";

export interface QueueFilters {
  campaignId?: string;
  applicationId?: string;
  /** The holder's name or the entitlement's name. */
  q?: string;
  privileged?: boolean;
  recommendation?: "certify" | "revoke" | "reduce" | "none";
  status: "pending" | "decided";
  cursor?: string | null;
  limit?: number;
}

export interface QueueRow {
  id: string;
  version: number;
  campaignId: string;
  campaignName: string;
  stage: number;
  decision: "certify" | "revoke" | "reduce" | "reassign" | null;
  recommendation: "certify" | "revoke" | "reduce" | "none";
  recommendationReason: string | null;
  dueAt: Date | null;
  identityName: string;
  identityType: string;
  identityStatus: string;
  entitlementName: string;
  applicationName: string;
  privileged: boolean;
  grantKind: string;
  lastUsedAt: string | null;
  sessionCount: number;
  usageDays: number;
  revocationStatus: string | null;
}

/**
 * A reviewer's queue across campaigns that are open, ordered by the holder's name so one
 * person's access reads together; keyset-paged on (name, id) from the reviewer's index.
 */
export async function listQueue(db: Executor, args: { reviewerId: string; filters: QueueFilters }) {
  const f = args.filters;
  const limit = Math.min(f.limit ?? 50, 200);
  const after = decodeCursor(f.cursor);
  const name = sql`r.subject_name`;
  const conditions = [
    sql`r.reviewer_id = ${args.reviewerId}`,
    f.status === "pending" ? sql`r.status = 'pending'` : sql`r.status = 'decided'`,
    sql`c.status = 'active'`,
  ];
  if (f.campaignId) conditions.push(sql`r.campaign_id = ${f.campaignId}`);
  if (f.applicationId) conditions.push(sql`e.application_id = ${f.applicationId}`);
  if (f.privileged !== undefined) conditions.push(sql`e.privileged = ${f.privileged}`);
  if (f.recommendation) conditions.push(sql`r.recommendation = ${f.recommendation}`);
  if (f.q?.trim()) {
    const pattern = `%${escapeLike(f.q.trim())}%`;
    conditions.push(sql`(${name} ilike ${pattern} or (r.evidence -> 'entitlement' ->> 'name') ilike ${pattern})`);
  }
  if (after && after.length === 2) conditions.push(sql`(${name}, r.id) > (${String(after[0])}, ${String(after[1])}::uuid)`);

  const rows = await db.execute<Record<string, unknown>>(sql`
    select r.id, r.version, r.campaign_id, c.name campaign_name, r.stage, r.decision, r.recommendation, r.recommendation_reason, r.due_at,
      ${name} identity_name, r.evidence -> 'identity' ->> 'type' identity_type, r.evidence -> 'identity' ->> 'status' identity_status,
      r.evidence -> 'entitlement' ->> 'name' entitlement_name, r.evidence -> 'entitlement' ->> 'application' application_name,
      e.privileged, r.evidence -> 'grant' ->> 'kind' grant_kind, r.evidence -> 'usage' ->> 'lastUsedAt' last_used_at,
      (r.evidence -> 'usage' ->> 'sessionCount')::int session_count, (r.evidence -> 'usage' ->> 'usageDays')::int usage_days,
      v.status revocation_status
    from review_items r
    join campaigns c on c.id = r.campaign_id
    join entitlements e on e.id = r.entitlement_id
    left join revocations v on v.id = r.revocation_id
    where ${sql.join(conditions, sql` and `)}
    order by ${name}, r.id
    limit ${limit + 1}`);
  const mapped: QueueRow[] = rows.map((r) => ({
    id: r.id as string,
    version: r.version as number,
    campaignId: r.campaign_id as string,
    campaignName: r.campaign_name as string,
    stage: r.stage as number,
    decision: r.decision as QueueRow["decision"],
    recommendation: r.recommendation as QueueRow["recommendation"],
    recommendationReason: r.recommendation_reason as string | null,
    dueAt: r.due_at ? new Date(r.due_at as string) : null,
    identityName: r.identity_name as string,
    identityType: r.identity_type as string,
    identityStatus: r.identity_status as string,
    entitlementName: r.entitlement_name as string,
    applicationName: r.application_name as string,
    privileged: r.privileged as boolean,
    grantKind: r.grant_kind as string,
    lastUsedAt: r.last_used_at as string | null,
    sessionCount: r.session_count as number,
    usageDays: r.usage_days as number,
    revocationStatus: r.revocation_status as string | null,
  }));
  return toPage(mapped, limit, (row) => [row.identityName, row.id]);
}

/** The filters a reviewer can choose from: their open campaigns and the applications in their queue. */
export async function queueFacets(db: Executor, args: { reviewerId: string }) {
  // Grouped on ids from the queue index and the entitlement, never reading the evidence documents.
  const rows = await db.execute<{ campaign_id: string; campaign_name: string; application_id: string; application_name: string; pending: number }>(sql`
    with counts as (
      select r.campaign_id, e.application_id, count(*) filter (where r.status = 'pending')::int pending
      from review_items r join entitlements e on e.id = r.entitlement_id
      where r.reviewer_id = ${args.reviewerId} and r.status in ('pending', 'decided')
      group by 1, 2
    )
    select k.campaign_id, c.name campaign_name, k.application_id, a.name application_name, k.pending
    from counts k join campaigns c on c.id = k.campaign_id join applications a on a.id = k.application_id
    where c.status = 'active'`);
  const campaigns = new Map<string, { id: string; name: string; pending: number }>();
  const applications = new Map<string, { id: string; name: string }>();
  for (const r of rows) {
    const c = campaigns.get(r.campaign_id) ?? { id: r.campaign_id, name: r.campaign_name, pending: 0 };
    c.pending += r.pending;
    campaigns.set(r.campaign_id, c);
    applications.set(r.application_id, { id: r.application_id, name: r.application_name });
  }
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  return { campaigns: [...campaigns.values()].sort(byName), applications: [...applications.values()].sort(byName) };
}

/** One item with what surrounds it now: its campaign, reviewer, decision history and the revocation's progress. */
export async function getReviewItem(db: Executor, args: { itemId: string }) {
  const [row] = await db.execute<Record<string, unknown>>(sql`
    select r.*, c.name campaign_name, c.status campaign_status, c.created_by_id campaign_owner_id, c.ad_hoc, c.removals,
      rv.display_name reviewer_name, d.display_name decided_by_name, e.privileged,
      g.status grant_status, g.next_review_due, g.live_state,
      v.status revocation_status, v.last_error revocation_error, v.verified_at revocation_verified_at, v.verification revocation_verification
    from review_items r
    join campaigns c on c.id = r.campaign_id
    join entitlements e on e.id = r.entitlement_id
    left join grants g on g.id = r.grant_id
    left join identities rv on rv.id = r.reviewer_id
    left join identities d on d.id = r.decided_by_id
    left join revocations v on v.id = r.revocation_id
    where r.id = ${args.itemId}`);
  if (!row) return null;
  const history = await db.execute<{ decision: string; actor: string; comment: string | null; created_at: string; bulk: boolean; seconds_spent: number | null; reassigned_to: string | null; undone_at: string | null }>(sql`
    select d.decision, a.display_name actor, d.comment, d.created_at, d.bulk, d.seconds_spent, t.display_name reassigned_to, d.undone_at
    from review_decisions d join identities a on a.id = d.actor_id left join identities t on t.id = d.reassigned_to_id
    where d.review_item_id = ${args.itemId} order by d.created_at`);
  return { row, history };
}
