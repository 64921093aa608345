import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { CampaignScope } from "@/lib/domain/campaigns/campaign-scope";
import { REGULAR_USE_DAYS, UNUSED_DAYS } from "@/lib/domain/campaigns/recommend";
import { REVIEWER_RULE_LABELS, type ReviewerRule } from "@/lib/domain/campaigns/reviewer";
import { uuidList } from "./scope";

/** The campaign's scope as a condition on grants g, their identity i and entitlement e. */
export function scopeCondition(scope: CampaignScope, at: Date): SQL {
  const parts: SQL[] = [sql`g.status = 'active'`];
  if (scope.applicationIds.length > 0) parts.push(sql`e.application_id = any(${uuidList(scope.applicationIds)})`);
  if (scope.managerId) {
    parts.push(sql`g.identity_id in (
      with recursive org(id) as (
        select id from identities where manager_id = ${scope.managerId}
        union select x.id from identities x join org on x.manager_id = org.id
      ) select id from org)`);
  }
  if (scope.privilegedOnly) parts.push(sql`e.privileged`);
  if (scope.nonHumanOnly) parts.push(sql`i.kind = 'non_human'`);
  if (scope.sodConflicts) {
    // The grant's entitlement is in a rule of which the same person holds another live entitlement.
    parts.push(sql`exists (
      select 1 from sod_rule_entitlements m
      join sod_rule_entitlements partner on partner.rule_id = m.rule_id and partner.entitlement_id <> m.entitlement_id
      join grants other on other.entitlement_id = partner.entitlement_id and other.identity_id = g.identity_id and other.status in ('active', 'pending_revocation')
      where m.entitlement_id = g.entitlement_id)`);
  }
  if (scope.breakGlassUsed) {
    parts.push(sql`e.break_glass and exists (
      select 1 from activations act where act.grant_id = g.id and act.break_glass
        and act.starts_at > coalesce(g.last_reviewed_at, '-infinity'::timestamptz))`);
  }
  if (scope.reviewDue) parts.push(sql`(g.next_review_due is null or g.next_review_due <= ${at.toISOString()}::timestamptz)`);
  return sql.join(parts, sql` and `);
}

export async function countInScope(db: Executor, scope: CampaignScope, at: Date): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`
    select count(*)::int n from grants g
    join identities i on i.id = g.identity_id
    join entitlements e on e.id = g.entitlement_id
    where ${scopeCondition(scope, at)}`);
  return row?.n ?? 0;
}

export interface ItemSource {
  grantId: string;
  /** Unique per campaign and stage; the grant id for campaign items. */
  subjectKey: string;
  /** Why the item exists when it is not an ordinary campaign item (a break-glass activation, a finding). */
  origin?: Record<string, unknown>;
}

/** What every item of a batch shares: the campaign, its stage and reviewer rule, the instant. */
interface BatchContext {
  campaignId: string;
  stage: number;
  rule: ReviewerRule;
  namedReviewerIds: string[];
  fallbackId: string | null;
  ownerId: string | null;
  /** People who must not review these items besides the person under review (e.g. whoever raised them). */
  excludeIds?: string[];
  windowDays: number;
  dueAt: Date | null;
  at: Date;
}

export interface ItemBatch extends BatchContext {
  items: ItemSource[];
}

/** A slice of a launch's working set: up to `limit` of its grants, in grant order. */
export interface LaunchSlice extends Omit<BatchContext, "excludeIds"> {
  limit: number;
}

const lower = (rule: ReviewerRule) => REVIEWER_RULE_LABELS[rule].toLowerCase();

/** The people the rule names for the item's identity i, entitlement e and application a, in order of preference. */
function candidatesSql(rule: ReviewerRule, named: string[]): SQL {
  const one = (alias: string) => sql.raw(`case when ${alias}.id is null then '[]'::jsonb else jsonb_build_array(jsonb_build_object('id', ${alias}.id, 'status', ${alias}.status)) end`);
  switch (rule) {
    case "manager":
      return one("m");
    case "nhi_owner":
      // A human has no owner: their manager answers for them.
      return sql`case when i.kind = 'non_human' then ${one("o")} else ${one("m")} end`;
    case "entitlement_owner":
      return one("eo");
    case "app_owner":
      return sql`coalesce((select jsonb_agg(jsonb_build_object('id', x.id, 'status', x.status) order by x.id)
        from application_owners ao join identities x on x.id = ao.identity_id where ao.application_id = a.id), '[]'::jsonb)`;
    case "named":
      return sql`coalesce((select jsonb_agg(jsonb_build_object('id', x.id, 'status', x.status) order by u.n)
        from unnest(${uuidList(named)}) with ordinality u(id, n) join identities x on x.id = u.id), '[]'::jsonb)`;
  }
}

/**
 * Creates review items for a batch of grants in one INSERT ... SELECT: the reviewer (rule, then
 * fallback, never the person under review: the same answers as resolveReviewer), the
 * recommendation (the same answers as recommend), and the evidence snapshot a reviewer will
 * see, frozen now. Items already present are left alone, so a resumed launch is safe.
 */
export async function insertReviewItems(db: Executor, batch: ItemBatch): Promise<number> {
  if (batch.items.length === 0) return 0;
  // JIT compilation of this wide statement costs seconds and saves nothing: off, for this transaction only.
  await db.execute(sql`set local jit = off`);
  const grantIds = uuidList(batch.items.map((s) => s.grantId));
  const keys = sql`${`{${batch.items.map((s) => JSON.stringify(s.subjectKey)).join(",")}}`}::text[]`;
  const origins = sql`${JSON.stringify(batch.items.map((s) => s.origin ?? null))}::jsonb`;
  const result = await db.execute(sql`
    with src as (
      select s.grant_id, s.subject_key, ${origins} -> (s.n::int - 1) as origin
      from unnest(${grantIds}, ${keys}) with ordinality s(grant_id, subject_key, n)
    ),
    ${peersSql(grantIds)}
    ${itemsFromSql(batch, sql`cross join lateral (${grantHistorySql({ grantId: sql`g.id`, campaignId: batch.campaignId })}) h`)}`);
  return result.count ?? 0;
}

/**
 * Snapshots the next slice of a launch's working set in one statement: takes up to `limit` of its
 * grants in grant order (rows another slice holds are skipped, so slices run side by side),
 * deletes them from the working set and inserts their items, with the same evidence, reviewer
 * and recommendation as insertReviewItems. Run in the transaction that counts the items, so a
 * crash leaves the slice either done or still in the working set. Returns how many grants it
 * took and how many items it inserted.
 */
export async function snapshotLaunchSlice(db: Executor, slice: LaunchSlice): Promise<{ taken: number; inserted: number }> {
  await db.execute(sql`set local jit = off`);
  // The statement triggers keep the slice's new rows, evidence and all (about 20 MB for 10,000):
  // in memory, not in a temporary file written and read back twice.
  await db.execute(sql`set local work_mem = '64MB'`);
  const campaignId = sql`${slice.campaignId}::uuid`;
  // By ctid, so the delete is a TID scan whatever the planner believes about a table the launch
  // filled moments ago; the slice's rows come back in the order they were stored, grant order.
  const [row] = await db.execute<{ taken: number; inserted: number }>(sql`
    with src as (
      delete from launch_grants lg
      where lg.ctid = any(array(select ctid from launch_grants where campaign_id = ${campaignId} order by grant_id limit ${slice.limit} for update skip locked))
        and lg.campaign_id = ${campaignId}
      returning lg.grant_id, lg.grant_id::text subject_key, null::jsonb origin, lg.previous_decisions, lg.findings
    ),
    ${launchPeersSql(slice.campaignId)},
    inserted as (
      ${itemsFromSql(slice, sql`cross join lateral (select src.previous_decisions, src.findings) h`)}
      returning 1
    )
    select (select count(*) from src)::int taken, (select count(*) from inserted)::int inserted`);
  return { taken: row?.taken ?? 0, inserted: row?.inserted ?? 0 };
}

/**
 * The INSERT ... SELECT of items for the grants of `src` (grant_id, subject_key, origin), given
 * the CTEs peer_size and peer_hold, and `history`: a join that gives each grant g its earlier
 * decisions and open findings as h.
 */
function itemsFromSql(batch: BatchContext, history: SQL): SQL {
  const at = sql`${batch.at.toISOString()}::timestamptz`;
  const windowStart = sql`${windowStartOf(batch.at, batch.windowDays).toISOString()}::timestamptz`;
  const unusedCutoff = sql`${new Date(batch.at.getTime() - UNUSED_DAYS * 86_400_000).toISOString()}::timestamptz`;
  const label = REVIEWER_RULE_LABELS[batch.rule];
  const fallback = batch.fallbackId ? sql`${batch.fallbackId}::uuid` : sql`null::uuid`;
  const owner = batch.ownerId ? sql`${batch.ownerId}::uuid` : sql`null::uuid`;
  const excluded = uuidList([...(batch.excludeIds ?? [])]);

  return sql`
    insert into review_items (campaign_id, grant_id, subject_key, identity_id, subject_name, entitlement_id, stage, reviewer_id, original_reviewer_id,
      reviewer_reason, due_at, recommendation, recommendation_reason, evidence, snapshot_at)
    select ${batch.campaignId}::uuid, g.id, src.subject_key, g.identity_id, i.display_name, g.entitlement_id, ${batch.stage}::int,
      rv.reviewer_id, rv.reviewer_id, rv.reason, ${batch.dueAt ? sql`${batch.dueAt.toISOString()}::timestamptz` : sql`null`},
      rc.recommendation::recommendation, rc.reason,
      jsonb_build_object(
        'origin', src.origin,
        'identity', jsonb_build_object('id', i.id, 'name', i.display_name, 'email', i.email, 'kind', i.kind, 'type', i.type,
          'status', i.status, 'department', i.department, 'title', i.title, 'organization', i.organization, 'leftAt', i.left_at,
          'manager', m.display_name, 'managerStatus', m.status, 'owner', o.display_name, 'ownerStatus', o.status),
        'entitlement', jsonb_build_object('id', e.id, 'name', e.name, 'description', e.description, 'privileged', e.privileged,
          'riskLevel', e.risk_level, 'breakGlass', e.break_glass, 'application', a.name, 'applicationId', a.id),
        'grant', jsonb_build_object('kind', g.kind, 'source', g.source, 'grantedAt', g.granted_at, 'expiresAt', g.expires_at,
          'requestedBy', rq.display_name, 'approvedBy', ap.display_name, 'approvedAt', g.approved_at,
          'justification', g.justification, 'ticket', g.ticket, 'lastReviewedAt', g.last_reviewed_at, 'liveState', g.live_state,
          'approvalChain', chain.steps),
        'usage', jsonb_build_object('windowDays', ${batch.windowDays}::int, 'windowStart', ${windowStart}, 'lastUsedAt', u.last_used_at,
          'usageDays', u.usage_days, 'sessionCount', u.session_count, 'privilegedHours', round(u.session_seconds / 3600.0, 2),
          'activations', u.activations, 'sessions', coalesce(u.sessions, '[]'::jsonb)),
        'peers', jsonb_build_object('holding', peers.holding, 'total', peers.total),
        'previousDecisions', coalesce(h.previous_decisions, '[]'::jsonb),
        'findings', coalesce(h.findings, '[]'::jsonb)
      ),
      ${at}
    from src
    join grants g on g.id = src.grant_id
    join identities i on i.id = g.identity_id
    join entitlements e on e.id = g.entitlement_id
    join applications a on a.id = e.application_id
    left join identities m on m.id = i.manager_id
    left join identities o on o.id = i.owner_id
    left join identities eo on eo.id = e.owner_id
    left join identities rq on rq.id = g.requested_by_id
    left join identities ap on ap.id = g.approved_by_id
    left join lateral (
      select jsonb_agg(jsonb_build_object('position', st.position, 'rule', st.rule, 'status', st.status, 'by', sx.display_name,
        'at', st.decided_at, 'comment', st.comment) order by st.position) steps
      from approval_steps st left join identities sx on sx.id = st.decided_by_id where st.request_id = g.request_id
    ) chain on true
    cross join lateral (${grantUseSql({ grantId: sql`g.id`, windowStart })}) u
    ${history}
    left join peer_size psz on psz.d = coalesce(i.department, '') and psz.t = coalesce(i.title, '')
    left join peer_hold phd on phd.d = coalesce(i.department, '') and phd.t = coalesce(i.title, '') and phd.entitlement_id = g.entitlement_id
    -- "offset 0" evaluates these once per item: flattened, each use would repeat them (the
    -- reviewer choice ran its jsonb subqueries up to five times a row).
    cross join lateral (
      select greatest(coalesce(psz.n, 0) - case when i.status = 'active' then 1 else 0 end, 0) total,
             greatest(coalesce(phd.n, 0) - case when i.status = 'active' then 1 else 0 end, 0) holding
      offset 0
    ) peers
    cross join lateral (select ${candidatesSql(batch.rule, batch.namedReviewerIds)} cand offset 0) c
    cross join lateral (
      select (select (ce.c ->> 'id')::uuid from jsonb_array_elements(c.cand) with ordinality ce(c, n)
              where ce.c ->> 'status' = 'active' and (ce.c ->> 'id')::uuid <> i.id and (ce.c ->> 'id')::uuid <> all(${excluded})
              order by ce.n limit 1) chosen,
        case when jsonb_array_length(c.cand) = 0 then ${`no ${lower(batch.rule)}`}::text
             when not exists (select 1 from jsonb_array_elements(c.cand) ce(c) where (ce.c ->> 'id')::uuid <> i.id)
               then ${`the ${lower(batch.rule)} is the person under review`}::text
             else ${`the ${lower(batch.rule)} is not active`}::text end why
      offset 0
    ) ch
    cross join lateral (
      select case when ch.chosen is not null then ch.chosen
                  when ${fallback} is not null and ${fallback} <> i.id and ${fallback} <> all(${excluded}) then ${fallback}
                  when ${owner} is not null and ${owner} <> i.id and ${owner} <> all(${excluded}) then ${owner} end reviewer_id,
             case when ch.chosen is not null then ${label}::text
                  when ${fallback} is not null and ${fallback} <> i.id and ${fallback} <> all(${excluded}) then 'Fallback reviewer: ' || ch.why
                  when ${owner} is not null and ${owner} <> i.id and ${owner} <> all(${excluded}) then 'Campaign owner: ' || ch.why
                  else 'Unassigned: ' || ch.why end reason
    ) rv
    cross join lateral (
      select * from (values (case
        when i.status = 'leaver' then 'revoke'
        when i.kind = 'non_human' and o.id is null then 'revoke'
        when i.kind = 'non_human' and o.status = 'leaver' then 'revoke'
        when g.granted_at < ${unusedCutoff} and (u.last_used_at is null or u.last_used_at < ${unusedCutoff}) then 'revoke'
        when e.privileged and g.kind = 'standing' and u.usage_days > 0 and u.usage_days < ${REGULAR_USE_DAYS}::int then 'reduce'
        when u.usage_days >= ${REGULAR_USE_DAYS}::int and peers.total >= 2 and peers.holding * 2 >= peers.total then 'certify'
        else 'none' end,
      case
        when i.status = 'leaver' then 'The holder has left the organisation.'
        when i.kind = 'non_human' and o.id is null then 'This non-human identity has no owner.'
        when i.kind = 'non_human' and o.status = 'leaver' then 'The owner of this non-human identity has left.'
        when g.granted_at < ${unusedCutoff} and u.last_used_at is null then ${`Never used, held for more than ${UNUSED_DAYS} days.`}::text
        when g.granted_at < ${unusedCutoff} and u.last_used_at < ${unusedCutoff} then ${`Not used in the last ${UNUSED_DAYS} days.`}::text
        when e.privileged and g.kind = 'standing' and u.usage_days > 0 and u.usage_days < ${REGULAR_USE_DAYS}::int
          then format('Privileged standing access used on only %s of the last %s days: make it just-in-time.', u.usage_days, ${batch.windowDays}::int)
        when u.usage_days >= ${REGULAR_USE_DAYS}::int and peers.total >= 2 and peers.holding * 2 >= peers.total
          then format('Used on %s of the last %s days; held by %s of %s peers.', u.usage_days, ${batch.windowDays}::int, peers.holding, peers.total)
        when u.usage_days >= ${REGULAR_USE_DAYS}::int
          then format('Used on %s of the last %s days, but held by only %s of %s peers.', u.usage_days, ${batch.windowDays}::int, peers.holding, peers.total)
        else 'Not enough use in the window to recommend either way.' end)) v(recommendation, reason)
    ) rc
    on conflict (campaign_id, subject_key, stage) do nothing`;
}

/** Peer counts computed for just these grants' entitlements (a single item, a second stage, an ad-hoc review). */
function peersSql(grantIds: SQL): SQL {
  return sql`peer_size as (
      select coalesce(department, '') d, coalesce(title, '') t, count(*)::int n
      from identities where status = 'active' group by 1, 2
    ),
    peer_hold as (
      select coalesce(pi.department, '') d, coalesce(pi.title, '') t, pg.entitlement_id, count(distinct pg.identity_id)::int n
      from grants pg join identities pi on pi.id = pg.identity_id
      where pg.status = 'active' and pi.status = 'active'
        and pg.entitlement_id in (select entitlement_id from grants where id = any(${grantIds}))
      group by 1, 2, 3
    )`;
}

/** Peer counts a launch computed once for its working set (takeLaunchWorkingSet). */
function launchPeersSql(campaignId: string): SQL {
  return sql`peer_size as (
      select department d, title t, n from launch_peer_stats where campaign_id = ${campaignId}::uuid and entitlement_id is null
    ),
    peer_hold as (
      select department d, title t, entitlement_id, n from launch_peer_stats where campaign_id = ${campaignId}::uuid and entitlement_id is not null
    )`;
}

/**
 * One row of a grant's use, for the grant `grantId` names (a column): its last use ever (usage
 * events and sessions), the days with a use or a session since `windowStart`, the window's
 * sessions (count, seconds, the latest 20) and activations. Each table is read once per grant (one
 * index range each), the session list only for grants with sessions in the window. Every item
 * insert, single or a launch's slice, joins it laterally: the same SQL, so both carry the same
 * evidence. A slice's grants are consecutive in grant order, so its lookups sweep each index forward.
 */
export function grantUseSql(args: { grantId: SQL; windowStart: SQL }): SQL {
  const { grantId, windowStart } = args;
  const inWindow = (column: SQL) => sql`${column} >= ${windowStart}`;
  return sql`select
      greatest(ue.last_at, ps.last_at) last_used_at,
      (select count(distinct d)::int from unnest(ue.days || ps.days) d) usage_days,
      ps.n session_count, ps.seconds session_seconds,
      case when ps.n > 0 then (
        select jsonb_agg(jsonb_build_object('id', x.id, 'startedAt', x.started_at, 'endedAt', x.ended_at,
          'durationSeconds', x.duration_seconds, 'login', x.login, 'target', x.target, 'source', x.source) order by x.started_at desc, x.id desc)
        from (select sl.id, sl.started_at, sl.ended_at, sl.duration_seconds, sl.login, sl.target, sl.source from privileged_sessions sl
              where sl.grant_id = ${grantId} and ${inWindow(sql`sl.started_at`)} order by sl.started_at desc, sl.id desc limit 20) x) end sessions,
      (select count(*)::int from activations ac where ac.grant_id = ${grantId} and ${inWindow(sql`ac.starts_at`)}) activations
    from (select max(ue.occurred_at) last_at,
            array_agg(date_trunc('day', ue.occurred_at, 'UTC')) filter (where ${inWindow(sql`ue.occurred_at`)}) days
          from usage_events ue where ue.grant_id = ${grantId}) ue,
         (select max(ps.started_at) last_at,
            array_agg(date_trunc('day', ps.started_at, 'UTC')) filter (where ${inWindow(sql`ps.started_at`)}) days,
            (count(*) filter (where ${inWindow(sql`ps.started_at`)}))::int n,
            coalesce(sum(coalesce(ps.duration_seconds, 0)) filter (where ${inWindow(sql`ps.started_at`)}), 0)::bigint seconds
          from privileged_sessions ps where ps.grant_id = ${grantId}) ps
    -- Evaluated once per grant: pulled up into the insert, each use of usage_days would repeat it.
    offset 0`;
}

/**
 * One row of a grant's review history, for the grant `grantId` names: the latest 3 decisions on
 * it in other campaigns and its open findings. Single items join it laterally; a launch takes it
 * once for its whole working set, before its slices add items to review_items.
 */
export function grantHistorySql(args: { grantId: SQL; campaignId: string }): SQL {
  const { grantId } = args;
  return sql`select
      (select jsonb_agg(jsonb_build_object('decision', p.decision, 'decidedAt', p.decided_at, 'by', px.display_name,
          'comment', p.comment, 'campaignId', p.campaign_id) order by p.decided_at desc)
        from (select r.decision, r.decided_at, r.decided_by_id, r.comment, r.campaign_id from review_items r
              where r.grant_id = ${grantId} and r.decision is not null and r.campaign_id <> ${args.campaignId}::uuid
              order by r.decided_at desc limit 3) p left join identities px on px.id = p.decided_by_id) previous_decisions,
      (select jsonb_agg(jsonb_build_object('kind', f.kind, 'severity', f.severity, 'reason', f.reason))
        from findings f where f.grant_id = ${grantId} and f.status = 'open') findings`;
}

/** Where the evidence window of a campaign launched at `at` starts. */
export function windowStartOf(at: Date, windowDays: number): Date {
  return new Date(at.getTime() - windowDays * 86_400_000);
}
