import { eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { applications, campaigns, identities } from "@/db/schema";
import { decodeCursor, toPage } from "./cursor";

/**
 * The campaign screens' reads. Progress is counted in SQL (GROUP BY over review_items, which
 * the (campaign_id, status) index serves), so a 100,000-item campaign costs one scan, not a
 * loop. "Decided" means a person decided it; "overdue" means still pending past its due date.
 */

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const date = (v: unknown) => (v ? new Date(v as string) : null);

export interface CampaignListRow {
  id: string;
  name: string;
  status: string;
  adHoc: boolean;
  dueAt: Date | null;
  createdAt: Date;
  createdBy: string | null;
  recurrence: string;
  removals: string;
  total: number;
  decided: number;
  overdue: number;
}

/** Newest first, keyset-paged; ownerId limits the list to the campaigns that person created. */
export async function listCampaigns(db: Executor, args: { ownerId: string | null; at: Date; status?: string; cursor?: string | null; limit?: number }) {
  const limit = Math.min(args.limit ?? 50, 200);
  const after = decodeCursor(args.cursor);
  const conditions = [sql`true`];
  if (args.ownerId) conditions.push(sql`c.created_by_id = ${args.ownerId}`);
  if (args.status) conditions.push(sql`c.status = ${args.status}`);
  if (after) conditions.push(sql`(c.created_at, c.id) < (${String(after[0])}::timestamptz, ${String(after[1])}::uuid)`);
  const rows = await db.execute<Record<string, unknown>>(sql`
    select c.id, c.name, c.status, c.ad_hoc, c.due_at, c.created_at, c.recurrence, c.removals, p.display_name created_by,
      coalesce(n.total, 0) total, coalesce(n.decided, 0) decided, coalesce(n.overdue, 0) overdue
    from campaigns c
    left join identities p on p.id = c.created_by_id
    left join lateral (
      select count(*)::int total, count(*) filter (where r.decided_by_id is not null)::int decided,
        count(*) filter (where r.status = 'pending' and r.due_at < ${at(args.at)})::int overdue
      from review_items r where r.campaign_id = c.id
    ) n on true
    where ${sql.join(conditions, sql` and `)}
    order by c.created_at desc, c.id desc
    limit ${limit + 1}`);
  const mapped: CampaignListRow[] = rows.map((r) => ({
    id: r.id as string,
    name: r.name as string,
    status: r.status as string,
    adHoc: r.ad_hoc as boolean,
    dueAt: date(r.due_at),
    createdAt: date(r.created_at)!,
    createdBy: r.created_by as string | null,
    recurrence: r.recurrence as string,
    removals: r.removals as string,
    total: r.total as number,
    decided: r.decided as number,
    overdue: r.overdue as number,
  }));
  return toPage(mapped, limit, (row) => [row.createdAt.toISOString(), row.id]);
}

export type CampaignRow = typeof campaigns.$inferSelect;

export async function getCampaign(db: Executor, args: { campaignId: string }): Promise<CampaignRow | null> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, args.campaignId));
  return row ?? null;
}

/** Names for the people and applications a campaign's settings refer to by id. */
export async function namesForCampaign(db: Executor, args: { personIds: string[]; applicationIds: string[] }) {
  const [people, apps] = await Promise.all([
    args.personIds.length ? db.select({ id: identities.id, name: identities.displayName, email: identities.email }).from(identities).where(inArray(identities.id, args.personIds)) : [],
    args.applicationIds.length ? db.select({ id: applications.id, name: applications.name }).from(applications).where(inArray(applications.id, args.applicationIds)) : [],
  ]);
  return { people: new Map(people.map((p) => [p.id, p])), applications: new Map(apps.map((a) => [a.id, a.name])) };
}

export interface ProgressTotals {
  total: number;
  pending: number;
  decided: number;
  overdue: number;
  escalated: number;
  unassigned: number;
  secondStage: number;
}

export async function campaignTotals(db: Executor, args: { campaignId: string; at: Date }): Promise<ProgressTotals> {
  const [row] = await db.execute<Record<string, number>>(sql`
    select count(*)::int total,
      count(*) filter (where status = 'pending')::int pending,
      count(*) filter (where decided_by_id is not null)::int decided,
      count(*) filter (where status = 'pending' and due_at < ${at(args.at)})::int overdue,
      count(*) filter (where escalated_at is not null)::int escalated,
      count(*) filter (where reviewer_id is null)::int unassigned,
      count(*) filter (where stage = 2)::int "secondStage"
    from review_items where campaign_id = ${args.campaignId}`);
  return row as unknown as ProgressTotals;
}

export interface ProgressRow {
  id: string | null;
  name: string | null;
  total: number;
  decided: number;
  pending: number;
  overdue: number;
}

const progressColumns = (when: Date) => sql`count(*)::int total,
  count(*) filter (where r.decided_by_id is not null)::int decided,
  count(*) filter (where r.status = 'pending')::int pending,
  count(*) filter (where r.status = 'pending' and r.due_at < ${at(when)})::int overdue`;

// Each aggregate groups the bare item columns first (an index-only scan of the campaign's items
// when review_items_campaign_progress covers them), and joins names only to the groups.

/** Per reviewer, most outstanding first: the people to chase. */
export async function progressByReviewer(db: Executor, args: { campaignId: string; at: Date; limit: number }) {
  const rows = await db.execute<Record<string, unknown>>(sql`
    select x.id, p.display_name name, x.total, x.decided, x.pending, x.overdue
    from (select r.reviewer_id id, ${progressColumns(args.at)} from review_items r where r.campaign_id = ${args.campaignId} group by r.reviewer_id) x
    left join identities p on p.id = x.id
    order by x.overdue desc, x.pending desc, p.display_name nulls first
    limit ${args.limit + 1}`);
  return { rows: rows.slice(0, args.limit) as unknown as ProgressRow[], more: rows.length > args.limit };
}

/** Per application, from the entitlement each item is about. */
export async function progressByApplication(db: Executor, args: { campaignId: string; at: Date; limit: number }) {
  const rows = await db.execute<Record<string, unknown>>(sql`
    select a.id, a.name, sum(x.total)::int total, sum(x.decided)::int decided, sum(x.pending)::int pending, sum(x.overdue)::int overdue
    from (select r.entitlement_id, ${progressColumns(args.at)} from review_items r where r.campaign_id = ${args.campaignId} group by r.entitlement_id) x
    join entitlements e on e.id = x.entitlement_id join applications a on a.id = e.application_id
    group by a.id, a.name
    order by overdue desc, pending desc, a.name
    limit ${args.limit + 1}`);
  return { rows: rows.slice(0, args.limit) as unknown as ProgressRow[], more: rows.length > args.limit };
}

export interface MatrixCell {
  recommendation: "certify" | "revoke" | "reduce" | "none";
  /** "undecided" for items nobody decided; a reassignment leaves an item undecided. */
  decision: "certify" | "revoke" | "reduce" | "undecided";
  n: number;
}

/** How reviewers' decisions compare with what Accord recommended: one count per pair. */
export async function recommendationVsDecision(db: Executor, args: { campaignId: string }): Promise<MatrixCell[]> {
  const rows = await db.execute<{ recommendation: MatrixCell["recommendation"]; decision: MatrixCell["decision"]; n: number }>(sql`
    select x.recommendation::text recommendation,
      case when x.by_nobody or x.decision is null or x.decision = 'reassign' then 'undecided' else x.decision::text end decision,
      sum(x.n)::int n
    from (select recommendation, decision, decided_by_id is null by_nobody, count(*) n
          from review_items where campaign_id = ${args.campaignId} group by 1, 2, 3) x
    group by 1, 2`);
  return [...rows];
}

export interface CampaignItemRow {
  id: string;
  stage: number;
  status: string;
  decision: string | null;
  recommendation: string;
  identityName: string;
  entitlementName: string;
  applicationName: string;
  privileged: boolean;
  reviewerId: string | null;
  reviewerName: string | null;
  dueAt: Date | null;
  decidedAt: Date | null;
  escalated: boolean;
}

export interface CampaignItemFilters {
  status?: "pending" | "decided" | "closed" | "overdue";
  reviewerId?: string;
  cursor?: string | null;
  limit?: number;
}

/**
 * A campaign's items, keyset-paged in the order of the (campaign, subject, stage) unique index,
 * so any page of a 100,000-item campaign is an index range scan.
 */
export async function listCampaignItems(db: Executor, args: { campaignId: string; at: Date; filters: CampaignItemFilters }) {
  const f = args.filters;
  const limit = Math.min(f.limit ?? 50, 200);
  const after = decodeCursor(f.cursor);
  const conditions = [sql`r.campaign_id = ${args.campaignId}`];
  if (f.status === "overdue") conditions.push(sql`r.status = 'pending' and r.due_at < ${at(args.at)}`);
  else if (f.status) conditions.push(sql`r.status = ${f.status}`);
  if (f.reviewerId) conditions.push(sql`r.reviewer_id = ${f.reviewerId}`);
  if (after) conditions.push(sql`(r.subject_key, r.stage) > (${String(after[0])}, ${Number(after[1])}::int)`);
  const rows = await db.execute<Record<string, unknown>>(sql`
    select r.id, r.stage, r.status, r.decision, r.recommendation, r.subject_key, r.reviewer_id, p.display_name reviewer_name,
      r.due_at, r.decided_at, r.escalated_at is not null escalated,
      r.evidence -> 'identity' ->> 'name' identity_name, r.evidence -> 'entitlement' ->> 'name' entitlement_name,
      r.evidence -> 'entitlement' ->> 'application' application_name, (r.evidence -> 'entitlement' ->> 'privileged')::boolean privileged
    from review_items r left join identities p on p.id = r.reviewer_id
    where ${sql.join(conditions, sql` and `)}
    order by r.subject_key, r.stage
    limit ${limit + 1}`);
  const mapped = rows.map((r) => ({
    key: [r.subject_key as string, r.stage as number] as [string, number],
    row: {
      id: r.id as string,
      stage: r.stage as number,
      status: r.status as string,
      decision: r.decision as string | null,
      recommendation: r.recommendation as string,
      identityName: r.identity_name as string,
      entitlementName: r.entitlement_name as string,
      applicationName: r.application_name as string,
      privileged: Boolean(r.privileged),
      reviewerId: r.reviewer_id as string | null,
      reviewerName: r.reviewer_name as string | null,
      dueAt: date(r.due_at),
      decidedAt: date(r.decided_at),
      escalated: r.escalated as boolean,
    } satisfies CampaignItemRow,
  }));
  const page = toPage(mapped, limit, (m) => m.key);
  return { rows: page.rows.map((m) => m.row), nextCursor: page.nextCursor };
}

/** Applications a campaign may be run over: every one for admins, their own for an application owner. */
export async function listCampaignApplications(db: Executor, args: { ownerId: string | null }) {
  // Plain SQL: drizzle leaves single-table columns unqualified, which a correlated subquery would misread.
  const rows = await db.execute<{ id: string; name: string; privileged_entitlements: number }>(sql`
    select a.id, a.name, (select count(*)::int from entitlements e where e.application_id = a.id and e.privileged) privileged_entitlements
    from applications a
    ${args.ownerId ? sql`where a.id in (select ao.application_id from application_owners ao where ao.identity_id = ${args.ownerId})` : sql``}
    order by a.name, a.id`);
  return rows.map((r) => ({ id: r.id, name: r.name, privilegedEntitlements: r.privileged_entitlements }));
}

/** An active person, by email (case-insensitive), to name as a reviewer or whose organisation to review. */
export async function findActivePersonByEmail(db: Executor, args: { email: string }) {
  const [row] = await db.execute<{ id: string; name: string; email: string | null; title: string | null; department: string | null; reports: number }>(sql`
    select p.id, p.display_name "name", p.email, p.title, p.department,
      (select count(*)::int from identities x where x.manager_id = p.id and x.status = 'active') reports
    from identities p
    where lower(p.email) = ${args.email.toLowerCase()} and p.status = 'active' and p.kind = 'human'
    limit 1`);
  return row ?? null;
}

/**
 * Everyone with a pending or decided item in the campaign, from the reviewers' queue counts (a few
 * rows per reviewer) rather than the items themselves (100,000 rows read at the end of a launch).
 */
export async function campaignReviewerIds(db: Executor, args: { campaignId: string }): Promise<string[]> {
  const rows = await db.execute<{ reviewer_id: string }>(sql`
    select reviewer_id from review_queue_counts where campaign_id = ${args.campaignId}::uuid
    group by reviewer_id having sum(pending) + sum(decided) > 0`);
  return rows.map((r) => r.reviewer_id);
}
