import { sql, type SQL } from "drizzle-orm";
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
 * person's access reads together; keyset-paged on (name, id).
 *
 * The page is found first from the reviewer's queue index alone (its trailing columns carry the
 * campaign, entitlement and recommendation the filters test), walking it in order and stopping
 * at the page's last row; only then are the page's rows and their evidence read. The walk is
 * forced: right after a launch the table's statistics do not know the reviewer yet, and the
 * planner would otherwise fetch and sort the whole queue (49,000 rows) for 50. The settings are
 * local to the transaction the query runs in (its own, unless the caller passes one).
 */
export async function listQueue(db: Executor, args: { reviewerId: string; filters: QueueFilters }) {
  const f = args.filters;
  const limit = Math.min(f.limit ?? 50, 200);
  const after = decodeCursor(f.cursor);
  const conditions = [
    sql`r.reviewer_id = ${args.reviewerId}`,
    f.status === "pending" ? sql`r.status = 'pending'` : sql`r.status = 'decided'`,
    sql`r.campaign_id in (select id from campaigns where status = 'active')`,
  ];
  if (f.campaignId) conditions.push(sql`r.campaign_id = ${f.campaignId}`);
  // An application has a handful of entitlements: tested on the index entry, no lookup per row.
  if (f.applicationId) conditions.push(sql`r.entitlement_id = any(array(select id from entitlements where application_id = ${f.applicationId}))`);
  if (f.privileged !== undefined) conditions.push(sql`e.privileged = ${f.privileged}`);
  if (f.recommendation) conditions.push(sql`r.recommendation = ${f.recommendation}`);
  if (f.q?.trim()) {
    const pattern = `%${escapeLike(f.q.trim())}%`;
    // Inside the "or" the entitlements are matched once and hashed, not looked up per row.
    conditions.push(sql`(r.subject_name ilike ${pattern} or r.entitlement_id in (select id from entitlements where name ilike ${pattern}))`);
  }
  if (after && after.length === 2) conditions.push(sql`(r.subject_name, r.id) > (${String(after[0])}, ${String(after[1])}::uuid)`);

  const rows = await db.transaction(async (tx) => {
    // The penalty that turns sorting off would also make the plan look costly enough to JIT-compile (200 ms).
    await tx.execute(sql`select set_config('enable_sort', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('jit', 'off', true)`);
    return tx.execute<Record<string, unknown>>(sql`
      with page as materialized (
        select r.id, r.subject_name
        from review_items r join entitlements e on e.id = r.entitlement_id
        where ${sql.join(conditions, sql` and `)}
        order by r.subject_name, r.id
        limit ${limit + 1}
      )
      select r.id, r.version, r.campaign_id, c.name campaign_name, r.stage, r.decision, r.recommendation, r.recommendation_reason, r.due_at,
        p.subject_name identity_name, r.evidence -> 'identity' ->> 'type' identity_type, r.evidence -> 'identity' ->> 'status' identity_status,
        r.evidence -> 'entitlement' ->> 'name' entitlement_name, r.evidence -> 'entitlement' ->> 'application' application_name,
        e.privileged, r.evidence -> 'grant' ->> 'kind' grant_kind, r.evidence -> 'usage' ->> 'lastUsedAt' last_used_at,
        (r.evidence -> 'usage' ->> 'sessionCount')::int session_count, (r.evidence -> 'usage' ->> 'usageDays')::int usage_days,
        v.status revocation_status
      from page p
      join review_items r on r.id = p.id
      join campaigns c on c.id = r.campaign_id
      join entitlements e on e.id = r.entitlement_id
      left join revocations v on v.id = r.revocation_id
      order by p.subject_name, p.id`);
  });
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

/** A reviewer's delta rows in review_queue_counts beyond one per group before they are folded. */
const FOLD_SLACK = 64;

/**
 * The filters a reviewer can choose from: their open campaigns (with how many items wait in
 * each) and the applications in their queue. Read from review_queue_counts, which the database
 * keeps in step with review_items, so a queue of 50,000 items costs a few dozen rows here.
 */
export async function queueFacets(db: Executor, args: { reviewerId: string }) {
  const rows = await db.execute<{ campaign_id: string; campaign_name: string | null; application_id: string; application_name: string | null; pending: number; decided: number; deltas: number }>(sql`
    with counts as (
      select campaign_id, application_id, sum(pending)::int pending, sum(decided)::int decided, count(*)::int deltas
      from review_queue_counts where reviewer_id = ${args.reviewerId}
      group by 1, 2
    )
    select k.campaign_id, c.name campaign_name, k.application_id, a.name application_name, k.pending, k.decided, k.deltas
    from counts k left join campaigns c on c.id = k.campaign_id and c.status = 'active' left join applications a on a.id = k.application_id`);
  const campaigns = new Map<string, { id: string; name: string; pending: number }>();
  const applications = new Map<string, { id: string; name: string }>();
  for (const r of rows) {
    if (r.campaign_name === null || r.application_name === null || (r.pending === 0 && r.decided === 0)) continue;
    const c = campaigns.get(r.campaign_id) ?? { id: r.campaign_id, name: r.campaign_name, pending: 0 };
    c.pending += r.pending;
    campaigns.set(r.campaign_id, c);
    applications.set(r.application_id, { id: r.application_id, name: r.application_name });
  }
  const deltas = rows.reduce((n, r) => n + r.deltas, 0);
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  return {
    campaigns: [...campaigns.values()].sort(byName),
    applications: [...applications.values()].sort(byName),
    /** Whether the reviewer's delta rows have piled up enough to fold (foldQueueCounts). */
    needsFold: deltas > rows.length + FOLD_SLACK,
  };
}

/**
 * Folds a reviewer's delta rows into one row per campaign and application, dropping groups that
 * sum to nothing. One statement: it deletes only the rows its snapshot sees and writes back their
 * sum, so deltas committed meanwhile stay as they are, and a concurrent fold waits for this one
 * and then finds nothing left to fold.
 */
export async function foldQueueCounts(db: Executor, args: { reviewerId: string }) {
  await db.execute(foldWhere(sql`reviewer_id = ${args.reviewerId}`));
}

/**
 * The same fold for every reviewer whose deltas piled up or who has a group that sums to nothing
 * (a closed campaign), whether or not they open their queue again: run by the campaign sweep.
 */
export async function foldPiledUpQueueCounts(db: Executor) {
  await db.execute(
    foldWhere(sql`reviewer_id in (
      select reviewer_id from (
        select reviewer_id, count(*) n, sum(pending) pending, sum(decided) decided from review_queue_counts group by reviewer_id, campaign_id, application_id) g
      group by reviewer_id
      having sum(n) > count(*) + ${FOLD_SLACK} or bool_or(pending = 0 and decided = 0))`),
  );
}

function foldWhere(which: SQL) {
  return sql`
    with gone as (delete from review_queue_counts where ${which} returning reviewer_id, campaign_id, application_id, pending, decided)
    insert into review_queue_counts (reviewer_id, campaign_id, application_id, pending, decided)
    select g.reviewer_id, g.campaign_id, g.application_id, sum(g.pending), sum(g.decided)
    from gone g
    where exists (select 1 from campaigns c where c.id = g.campaign_id)
    group by g.reviewer_id, g.campaign_id, g.application_id
    having sum(g.pending) <> 0 or sum(g.decided) <> 0`;
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
  const history = await db.execute<{
    decision: string;
    actor: string;
    comment: string | null;
    created_at: string;
    bulk: boolean;
    seconds_spent: number | null;
    reassigned_to: string | null;
    undone_at: string | null;
  }>(sql`
    select d.decision, a.display_name actor, d.comment, d.created_at, d.bulk, d.seconds_spent, t.display_name reassigned_to, d.undone_at
    from review_decisions d join identities a on a.id = d.actor_id left join identities t on t.id = d.reassigned_to_id
    where d.review_item_id = ${args.itemId} order by d.created_at`);
  return { row, history };
}
