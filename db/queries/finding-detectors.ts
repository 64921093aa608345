import { sql, type SQL } from "drizzle-orm";
import type { DetectionParams } from "./finding-detection";

/**
 * The nine drift detectors of DESIGN.md, each one SELECT in the candidate columns' order
 * (finding-detection.ts stages their rows into the transaction's finding_candidates).
 */

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const days = (n: number) => sql`${`${n} days`}::interval`;
/** Privileged access is at least high; anything else at least medium; the entitlement's own risk when higher. */
const severityOf = (e: string) => sql.raw(`greatest(${e}.risk_level, (case when ${e}.privileged then 'high' else 'medium' end)::risk_level)`);
const day = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD')`);
const times = (n: string) => sql.raw(`(case when ${n} = 1 then 'once' else ${n} || ' times' end)`);

/** 1. A session or usage event at a moment no approved grant (or, for eligible grants, activation) covered. */
function usedWithoutApproval(p: DetectionParams): SQL {
  return sql`
    with uses as (
      select 's'::text as src, s.id, s.identity_id, s.entitlement_id, s.started_at as at
      from privileged_sessions s
      where s.identity_id is not null and s.entitlement_id is not null and s.started_at >= ${ts(p.now)} - ${days(p.evidenceDays)} and s.started_at <= ${ts(p.now)}
      union all
      select 'e', u.id, u.identity_id, u.entitlement_id, u.occurred_at
      from usage_events u
      -- Only uses: a refused attempt or an access request naming the role is evidence, not use.
      where u.is_use and not u.failed and u.identity_id is not null and u.entitlement_id is not null and u.occurred_at >= ${ts(p.now)} - ${days(p.evidenceDays)} and u.occurred_at <= ${ts(p.now)}
    ),
    approved as (
      -- Standing and time-bound grants cover their whole life; eligible ones only their activations.
      -- "detected" grants were found in the target, never approved.
      -- A revoked or expired grant with no end recorded ended when it was last updated (as at ingest).
      select g.identity_id, g.entitlement_id, g.granted_at as from_at,
             least(coalesce(g.ended_at, case when g.status in ('revoked', 'expired') then g.updated_at end, 'infinity'), coalesce(g.expires_at, 'infinity')) as to_at
      from grants g where g.kind <> 'eligible' and g.source <> 'detected'
      union all
      select g.identity_id, g.entitlement_id, greatest(a.starts_at, g.granted_at),
             least(coalesce(a.ended_at, a.ends_at), coalesce(g.ended_at, case when g.status in ('revoked', 'expired') then g.updated_at end, 'infinity'),
                   coalesce(g.expires_at, 'infinity'))
      from activations a join grants g on g.id = a.grant_id
      where g.source <> 'detected' and a.status <> 'pending'
    ),
    unapproved as (
      select x.identity_id, x.entitlement_id, count(*)::int as n,
             count(*) filter (where x.src = 's')::int as sessions, count(*) filter (where x.src = 'e')::int as events,
             min(x.at) as first_at, max(x.at) as last_at,
             coalesce((array_agg(x.id order by x.at desc) filter (where x.src = 's'))[1:5], '{}') as session_ids,
             coalesce((array_agg(x.id order by x.at desc) filter (where x.src = 'e'))[1:5], '{}') as event_ids
      from uses x
      where not exists (
        select 1 from approved w
        where w.identity_id = x.identity_id and w.entitlement_id = x.entitlement_id and w.from_at <= x.at and x.at < w.to_at)
      group by x.identity_id, x.entitlement_id
    )
    select 'used_without_approval:' || u.identity_id || ':' || u.entitlement_id, 'used_without_approval', ${severityOf("e")},
           u.identity_id, live.id, null, u.entitlement_id, e.application_id, null,
           format('%s used %s in %s %s with no approved grant or activation covering the time of use (last on %s).',
                  i.display_name, e.name, a.name, ${times("u.n")}, ${day("u.last_at")}),
           jsonb_build_object('sessions', u.sessions, 'usageEvents', u.events, 'firstUsedAt', u.first_at, 'lastUsedAt', u.last_at,
                              'sessionIds', to_jsonb(u.session_ids), 'usageEventIds', to_jsonb(u.event_ids), 'lookbackDays', ${p.evidenceDays}::int,
                              'liveGrantId', live.id)
    from unapproved u
    join identities i on i.id = u.identity_id
    join entitlements e on e.id = u.entitlement_id
    join applications a on a.id = e.application_id
    left join lateral (
      select g.id from grants g where g.identity_id = u.identity_id and g.entitlement_id = u.entitlement_id and g.status in ('active', 'pending_revocation')
      order by g.granted_at desc limit 1
    ) live on true`;
}

/** 2. Time-bound grants past expiry the target still shows; sessions that outlived their activation. */
function expiredButLive(p: DetectionParams): SQL[] {
  const grantsStillLive = sql`
    select 'expired_but_live:grant:' || g.id, 'expired_but_live', ${severityOf("e")},
           g.identity_id, g.id, g.account_id, g.entitlement_id, e.application_id, null,
           format('%s''s time-bound %s in %s expired on %s, but %s.', i.display_name, e.name, a.name, ${day("g.expires_at")},
                  case when g.live_checked_at > g.expires_at then a.name || ' still showed it on ' || ${day("g.live_checked_at")}
                       else 'nothing removed it and ' || a.name || ' last showed it on ' || ${day("g.live_checked_at")} end),
           jsonb_build_object('expiresAt', g.expires_at, 'liveState', g.live_state, 'liveCheckedAt', g.live_checked_at, 'grantStatus', g.status)
    from grants g
    join entitlements e on e.id = g.entitlement_id
    join applications a on a.id = e.application_id
    join identities i on i.id = g.identity_id
    where g.kind = 'time_bound' and g.expires_at <= ${ts(p.now)} and g.status in ('active', 'pending_revocation', 'expired')
      and g.live_state = 'present'
      -- An expiry Accord has processed needs the target read after it to say the access is still
      -- there; one never processed (still active, no revocation) was never removed at all.
      and (g.status = 'active' or g.live_checked_at > g.expires_at)
      -- Once a revocation exists, "revocation not applied" or "re-granted after revocation" tells the story.
      and not exists (select 1 from revocations r where r.grant_id = g.id)`;
  const sessionsPastActivation = sql`
    select 'expired_but_live:activation:' || x.activation_id, 'expired_but_live', ${severityOf("e")},
           g.identity_id, g.id, g.account_id, g.entitlement_id, e.application_id, null,
           format('%s''s JIT activation of %s in %s ended on %s, but a session on it went on for %s more minutes.',
                  i.display_name, e.name, a.name, ${day("x.window_end")}, ceil(extract(epoch from x.overrun) / 60)::int),
           jsonb_build_object('activationId', x.activation_id, 'activationEndedAt', x.window_end, 'sessionIds', to_jsonb(x.session_ids),
                              'longestOverrunMinutes', ceil(extract(epoch from x.overrun) / 60)::int)
    from (
      select a.id as activation_id, a.grant_id, coalesce(a.ended_at, a.ends_at) as window_end,
             max(coalesce(s.ended_at, ${ts(p.now)}) - coalesce(a.ended_at, a.ends_at)) as overrun,
             (array_agg(s.id order by s.started_at desc))[1:5] as session_ids
      from privileged_sessions s join activations a on a.id = s.activation_id
      where s.started_at >= ${ts(p.now)} - ${days(p.evidenceDays)} and coalesce(s.ended_at, ${ts(p.now)}) > coalesce(a.ended_at, a.ends_at)
      group by a.id
    ) x
    join grants g on g.id = x.grant_id
    join entitlements e on e.id = g.entitlement_id
    join applications a on a.id = e.application_id
    join identities i on i.id = g.identity_id`;
  return [grantsStillLive, sessionsPastActivation];
}

/** 3. The latest revocation of a grant is past its SLA and not verified. */
function revocationNotApplied(p: DetectionParams): SQL {
  return sql`
    select 'revocation_not_applied:' || r.grant_id, 'revocation_not_applied',
           greatest(${severityOf("e")}, (case when r.status = 'failed' then 'high' else 'low' end)::risk_level),
           g.identity_id, g.id, g.account_id, g.entitlement_id, e.application_id, null,
           format('Removing %s from %s in %s was due by %s (SLA %s h) but is %s%s.',
                  e.name, i.display_name, a.name, ${day("r.sla_due_at")}, a.revocation_sla_hours,
                  case r.status when 'failed' then 'failed' when 'applied' then 'applied, never verified' else 'still ' || r.status end,
                  case when r.last_error is not null then ': ' || left(r.last_error, 200) else '' end),
           jsonb_build_object('revocationId', r.id, 'revocationStatus', r.status, 'cause', r.cause, 'requestedAt', r.requested_at,
                              'slaDueAt', r.sla_due_at, 'attempts', r.attempts, 'lastError', r.last_error, 'connector', r.connector_kind)
    from (
      select distinct on (r.grant_id) r.* from revocations r order by r.grant_id, r.requested_at desc, r.id desc
    ) r
    join grants g on g.id = r.grant_id
    join entitlements e on e.id = g.entitlement_id
    join applications a on a.id = e.application_id
    join identities i on i.id = g.identity_id
    where r.status <> 'verified' and r.sla_due_at < ${ts(p.now)}`;
}

/** 4. After Accord revoked access, it is live again without an approval given since. */
function regrantedAfterRevocation(p: DetectionParams): SQL {
  return sql`
    select distinct on (back.id)
           'regranted_after_revocation:' || back.id, 'regranted_after_revocation', greatest(${severityOf("e")}, 'high'::risk_level),
           back.identity_id, back.id, back.account_id, back.entitlement_id, e.application_id, null,
           format('%s was removed from %s in %s on %s, and it is back (%s) without a new approval.',
                  i.display_name, e.name, a.name, ${day("coalesce(r.verified_at, r.applied_at, r.requested_at)")},
                  case when back.id = r.grant_id then 'seen in ' || a.name || ' on ' || ${day("back.live_checked_at")}
                       else 're-added by ' || back.source || ' on ' || ${day("back.created_at")} end),
           jsonb_build_object('revocationId', r.id, 'revokedGrantId', r.grant_id, 'revokedAt', coalesce(r.verified_at, r.applied_at),
                              'cause', r.cause, 'backGrantId', back.id, 'backSource', back.source, 'backSince', coalesce(case when back.id = r.grant_id then back.live_checked_at end, back.created_at))
    from revocations r
    join grants g on g.id = r.grant_id
    join grants back on back.identity_id = g.identity_id and back.entitlement_id = g.entitlement_id and (
      (back.id <> g.id and back.status in ('active', 'pending_revocation') and back.created_at > r.requested_at
        -- Approved since the revocation (a new request, or the JIT grant a reduction put in its place).
        and not (back.approved_by_id is not null and back.approved_at >= r.requested_at))
      or (back.id = g.id and r.status = 'verified' and g.live_state = 'present' and g.live_checked_at > r.verified_at))
    join entitlements e on e.id = back.entitlement_id
    join applications a on a.id = e.application_id
    join identities i on i.id = back.identity_id
    where r.status in ('applied', 'verified') and r.requested_at <= ${ts(p.now)}
    order by back.id, r.requested_at desc`;
}

/** 5. Active accounts nobody owns; leavers who still have an active account or live grants. */
function accountsOfNobodyOrLeavers(): SQL[] {
  const orphans = sql`
    select 'orphan_account:' || acc.id, 'orphan_account', greatest(a.risk_tier, 'medium'::risk_level),
           null, null, acc.id, null, acc.application_id, null,
           format('Account "%s" in %s is active but belongs to no known identity%s.', acc.username, a.name,
                  case when acc.last_login_at is not null then ' (last sign-in ' || ${day("acc.last_login_at")} || ')' else '' end),
           jsonb_build_object('username', acc.username, 'lastLoginAt', acc.last_login_at, 'lastSeenAt', acc.last_seen_at, 'createdAt', acc.created_at)
    from accounts acc join applications a on a.id = acc.application_id
    where acc.identity_id is null and acc.status = 'active'`;
  const leavers = sql`
    with access as (
      select acc.identity_id, acc.application_id, acc.id as account_id, acc.username, null::uuid as grant_id, null::text as entitlement, false as privileged
      from accounts acc join identities i on i.id = acc.identity_id
      where i.status = 'leaver' and acc.status = 'active'
      union all
      select g.identity_id, e.application_id, g.account_id, null, g.id, e.name, e.privileged
      from grants g join identities i on i.id = g.identity_id join entitlements e on e.id = g.entitlement_id
      where i.status = 'leaver' and g.status = 'active' and g.live_state <> 'absent'
    ), per_app as (
      select identity_id, application_id, (array_agg(account_id) filter (where username is not null))[1] as account_id,
             coalesce(array_agg(distinct username) filter (where username is not null), '{}') as usernames,
             coalesce(array_agg(grant_id) filter (where grant_id is not null), '{}') as grant_ids,
             coalesce(array_agg(entitlement order by entitlement) filter (where entitlement is not null), '{}') as entitlements,
             bool_or(privileged) as privileged
      from access group by identity_id, application_id
    )
    select 'leaver_account:' || p.identity_id || ':' || p.application_id, 'leaver_account',
           (case when p.privileged then 'critical' else greatest(a.risk_tier, 'high'::risk_level) end)::risk_level,
           p.identity_id, case when cardinality(p.grant_ids) = 1 then p.grant_ids[1] end, p.account_id, null, p.application_id, null,
           format('%s left on %s but still has %s in %s.', i.display_name, ${day("coalesce(i.left_at, i.updated_at)")},
                  concat_ws(' and ',
                    case when cardinality(p.usernames) > 0 then 'an active account (' || array_to_string(p.usernames, ', ') || ')' end,
                    case when cardinality(p.grant_ids) > 0 then cardinality(p.grant_ids) || ' live grant' || case when cardinality(p.grant_ids) > 1 then 's' else '' end
                      || ' (' || array_to_string(p.entitlements[1:5], ', ') || case when cardinality(p.entitlements) > 5 then ', …' else '' end || ')' end),
                  a.name),
           jsonb_build_object('leftAt', i.left_at, 'accounts', to_jsonb(p.usernames), 'grantIds', to_jsonb(p.grant_ids), 'entitlements', to_jsonb(p.entitlements))
    from per_app p join identities i on i.id = p.identity_id join applications a on a.id = p.application_id`;
  return [orphans, leavers];
}

/** 6. Active non-human identities with no owner, or an owner who has left. */
function nhiOwnership(): SQL {
  return sql`
    select (case when o.id is null then 'nhi_no_owner:' else 'nhi_owner_leaver:' end) || n.id,
           (case when o.id is null then 'nhi_no_owner' else 'nhi_owner_leaver' end)::finding_kind,
           (case when coalesce(h.privileged, 0) > 0 then 'high' else 'medium' end)::risk_level,
           n.id, null, null, null, null,
           -- Whoever managed the departed owner inherits the question; nobody when there is no owner at all (admins).
           (case when o.id is not null then (select m.id from identities m where m.id = o.manager_id and m.status = 'active') end),
           case when o.id is null
             then format('%s (%s)%s has no owner.', n.display_name, replace(n.type::text, '_', ' '), ${holdings()})
             else format('%s (%s)%s is owned by %s, who left on %s.', n.display_name, replace(n.type::text, '_', ' '), ${holdings()},
                         o.display_name, ${day("coalesce(o.left_at, o.updated_at)")}) end,
           jsonb_build_object('type', n.type, 'formerOwnerId', o.id, 'formerOwner', o.display_name, 'ownerLeftAt', o.left_at,
                              'liveGrants', coalesce(h.live, 0), 'privilegedGrants', coalesce(h.privileged, 0))
    from identities n
    left join identities o on o.id = n.owner_id
    left join lateral (
      select count(*)::int as live, count(*) filter (where e.privileged)::int as privileged
      from grants g join entitlements e on e.id = g.entitlement_id
      where g.identity_id = n.id and g.status in ('active', 'pending_revocation')
    ) h on true
    where n.kind = 'non_human' and n.status = 'active' and (n.owner_id is null or o.status = 'leaver')`;
}
const holdings = () =>
  sql.raw(`case when coalesce(h.live, 0) = 0 then '' else ', holding ' || h.live || ' live grant' || case when h.live > 1 then 's' else '' end
  || case when h.privileged > 0 then ' (' || h.privileged || ' privileged)' else '' end || ',' end`);

/** 7. Standing privileged grants with no session or usage event for N days. */
function unusedStandingPrivilege(p: DetectionParams): SQL {
  return sql`
    with since as (select ${ts(p.now)} - ${days(p.unusedDays)} as at),
    -- Materialized, so the last-use lookups below run for the dormant grants only, not for every grant.
    dormant as materialized (
      select g.* from grants g join entitlements e on e.id = g.entitlement_id
      where g.kind = 'standing' and g.status = 'active' and e.privileged and g.granted_at <= (select at from since)
        and not exists (select 1 from usage_events u where u.identity_id = g.identity_id and u.entitlement_id = g.entitlement_id and u.occurred_at > (select at from since))
        and not exists (select 1 from privileged_sessions s where s.identity_id = g.identity_id and s.entitlement_id = g.entitlement_id and s.started_at > (select at from since))
    )
    select 'unused_standing_privilege:' || g.id, 'unused_standing_privilege', greatest(e.risk_level, 'medium'::risk_level),
           g.identity_id, g.id, g.account_id, g.entitlement_id, e.application_id, null,
           format('%s holds %s in %s as standing access and has not used it in %s days%s.', i.display_name, e.name, a.name, ${p.unusedDays}::int,
                  case when last.at is null then ' (no recorded use since it was granted on ' || ${day("g.granted_at")} || ')'
                       else ' (last used ' || ${day("last.at")} || ')' end),
           jsonb_build_object('grantedAt', g.granted_at, 'lastUsedAt', last.at, 'unusedDays', ${p.unusedDays}::int)
    from dormant g
    join entitlements e on e.id = g.entitlement_id
    join applications a on a.id = e.application_id
    join identities i on i.id = g.identity_id
    -- The last use ever, for the reason: through the grant's own evidence links (two index probes),
    -- since walking each holder's whole history by entitlement costs more than the detection itself.
    left join lateral (
      select greatest((select max(u.occurred_at) from usage_events u where u.grant_id = g.id),
                      (select max(s.started_at) from privileged_sessions s where s.grant_id = g.id)) as at
    ) last on true`;
}

/**
 * 8. Break-glass activations nobody has reviewed: no decided post-use review item, and no review
 * of the grant since the activation began (a campaign certifying the grant covers the use).
 */
function breakGlassUnreviewed(p: DetectionParams): SQL {
  return sql`
    -- Post-use review items, read once: looking them up per activation by subject key walks the
    -- whole (campaign, subject) index each time, since the campaign is not known here.
    with items as materialized (
      select ri.subject_key, bool_or(ri.decision is not null) as decided, (array_agg(ri.id order by ri.snapshot_at desc))[1] as item_id
      from review_items ri where ri.subject_key like 'break\_glass:%' group by ri.subject_key
    )
    select 'break_glass_unreviewed:' || act.id, 'break_glass_unreviewed',
           (case when coalesce(act.ended_at, act.ends_at) < ${ts(p.now)} - interval '24 hours' then 'critical' else 'high' end)::risk_level,
           g.identity_id, g.id, g.account_id, g.entitlement_id, e.application_id, null,
           format('%s used break-glass %s in %s on %s%s and nobody has reviewed it%s.', i.display_name, e.name, a.name, ${day("act.starts_at")},
                  case when act.incident_id is not null then ' for ' || act.incident_id else '' end,
                  case when coalesce(act.ended_at, act.ends_at) < ${ts(p.now)} - interval '24 hours' then ' (the review was due within 24 hours)' else '' end),
           jsonb_build_object('activationId', act.id, 'startedAt', act.starts_at, 'endedAt', coalesce(act.ended_at, act.ends_at),
                              'incidentId', act.incident_id, 'justification', act.justification, 'ticket', act.ticket, 'reviewItemId', items.item_id)
    from activations act
    join grants g on g.id = act.grant_id
    join entitlements e on e.id = g.entitlement_id
    join applications a on a.id = e.application_id
    join identities i on i.id = g.identity_id
    left join items on items.subject_key = 'break_glass:' || act.id
    where act.break_glass and act.status <> 'pending' and act.starts_at <= ${ts(p.now)}
      and act.starts_at > coalesce(g.last_reviewed_at, '-infinity'::timestamptz)
      and not coalesce(items.decided, false)`;
}

/**
 * 9. Someone holds live grants (of any kind) to more than one entitlement of a separation-of-duties
 * rule: one finding per person and rule, however many of the rule's entitlements they hold.
 */
function sodConflicts(): SQL {
  return sql`
    with held as (
      select m.rule_id, g.identity_id, g.id as grant_id, g.entitlement_id, g.granted_at, e.name || ' (' || a.name || ')' as label
      from sod_rule_entitlements m
      join grants g on g.entitlement_id = m.entitlement_id and g.status in ('active', 'pending_revocation')
      join entitlements e on e.id = g.entitlement_id join applications a on a.id = e.application_id
    ),
    conflicts as (
      select h.rule_id, h.identity_id, count(distinct h.entitlement_id) as n,
             jsonb_agg(h.grant_id order by h.granted_at, h.grant_id) as grant_ids,
             jsonb_agg(distinct h.label order by h.label) as names,
             string_agg(distinct h.label, ', ' order by h.label) as list,
             -- The grant that completed the conflict is the one a reviewer most likely wants to remove.
             (array_agg(h.grant_id order by h.granted_at desc, h.grant_id))[1] as newest
      from held h group by h.rule_id, h.identity_id
      having count(distinct h.entitlement_id) > 1
    )
    select 'sod_conflict:' || r.id || ':' || c.identity_id, 'sod_conflict', r.severity,
           c.identity_id, newer.id, newer.account_id, newer.entitlement_id, en.application_id, null,
           format('%s holds %s of the rule "%s", which allows at most one: %s.', i.display_name,
                  case when c.n = size.n and c.n = 2 then 'both entitlements'
                       when c.n = size.n then 'all ' || c.n || ' entitlements'
                       else c.n || ' of the ' || size.n || ' entitlements' end,
                  r.name, c.list),
           jsonb_build_object('ruleId', r.id, 'rule', r.name, 'ruleDescription', r.description, 'ruleSize', size.n, 'grantIds', c.grant_ids,
                              'entitlements', c.names)
    from conflicts c
    join sod_rules r on r.id = c.rule_id
    join lateral (select count(*) as n from sod_rule_entitlements m where m.rule_id = r.id) size on true
    join identities i on i.id = c.identity_id
    join grants newer on newer.id = c.newest
    join entitlements en on en.id = newer.entitlement_id`;
}

/** Each detector's SELECT, in the candidate columns' order; run them through stage(). */
export function detectors(p: DetectionParams): { kind: string; statement: SQL }[] {
  const [grantsStillLive, sessionsPastActivation] = expiredButLive(p);
  const [orphans, leavers] = accountsOfNobodyOrLeavers();
  return [
    { kind: "used_without_approval", statement: usedWithoutApproval(p) },
    { kind: "expired_but_live (grants)", statement: grantsStillLive! },
    { kind: "expired_but_live (activations)", statement: sessionsPastActivation! },
    { kind: "revocation_not_applied", statement: revocationNotApplied(p) },
    { kind: "regranted_after_revocation", statement: regrantedAfterRevocation(p) },
    { kind: "orphan_account", statement: orphans! },
    { kind: "leaver_account", statement: leavers! },
    { kind: "nhi ownership", statement: nhiOwnership() },
    { kind: "unused_standing_privilege", statement: unusedStandingPrivilege(p) },
    { kind: "break_glass_unreviewed", statement: breakGlassUnreviewed(p) },
    { kind: "sod_conflict", statement: sodConflicts() },
  ];
}
