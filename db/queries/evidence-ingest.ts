import { sql } from "drizzle-orm";
import type { Executor, Tx } from "@/db/client";
import { copyRows } from "@/lib/demo/copy";
import { copyClient } from "./imports";

/**
 * The SQL half of evidence ingest: a batch of parsed events is COPYed into a staging table and
 * then matched and written set-based (accounts, entitlements, the grant and activation in force
 * at the time, sessions joined by id), so throughput does not depend on per-event round trips.
 *
 * The staging tables are temporary, per connection, and emptied at every commit.
 */
export const STAGE_COLUMNS = [
  "line_no",
  "event_id",
  "kind",
  "action",
  "occurred_at",
  "failed",
  "is_use",
  "link_request",
  "account_name",
  "account_external_id",
  "application_id",
  "hints",
  "target",
  "session_id",
  "session_phase",
  "session_started_at",
  "session_ended_at",
  "login",
  "participants",
  "recording_ref",
  "raw",
] as const;

export type StageRow = Record<(typeof STAGE_COLUMNS)[number], unknown>;

const STAGE_DDL = `
  line_no integer not null, event_id text not null, kind usage_kind not null, action text not null,
  occurred_at timestamptz not null, failed boolean not null, is_use boolean not null, link_request boolean not null,
  account_name text, account_external_id text, application_id uuid not null, hints text[] not null, target text,
  session_id text, session_phase text, session_started_at timestamptz, session_ended_at timestamptz, login text,
  participants text[] not null, recording_ref text, raw jsonb`;

export async function stageEvents(tx: Tx, rows: StageRow[]): Promise<void> {
  // The grant lookups per event make the planner's cost estimates huge, so PostgreSQL would JIT-
  // compile a hundred functions (about 90 ms) for every batch's insert, which itself runs in ~300 ms.
  await tx.execute(sql.raw("set local jit = off"));
  await tx.execute(sql.raw(`create temp table if not exists ingest_stage (${STAGE_DDL}) on commit delete rows`));
  await tx.execute(sql.raw(`create temp table if not exists ingest_accounts (application_id uuid, name_key text, external_key text, account_id uuid, identity_id uuid) on commit delete rows`));
  await tx.execute(sql.raw(`create temp table if not exists ingest_entitlements (application_id uuid, hints text[], entitlement_id uuid) on commit delete rows`));
  await copyRows(copyClient(tx), "ingest_stage", STAGE_COLUMNS, rows);
}

/**
 * The staged batch with its account, identity and entitlement. Keys are coalesced so the joins
 * are plain equalities and can hash (IS NOT DISTINCT FROM cannot); \x01 never survives
 * storableText, so it cannot collide with a real name.
 */
const RESOLVED = `(
  select s.*, a.account_id, a.identity_id, e.entitlement_id
  from ingest_stage s
  left join ingest_accounts a on a.application_id = s.application_id and a.name_key = coalesce(s.account_name, E'\\x01')
    and a.external_key = coalesce(s.account_external_id, E'\\x01')
  left join ingest_entitlements e on e.application_id = s.application_id and e.hints = s.hints
)`;

/**
 * The approved grant that covered identity `i` using application `a` (entitlement `e` when the
 * event named one Accord knows) at time `t`: granted by then, not yet ended, revoked or expired,
 * not merely detected in the target, and for an eligible (JIT) grant, inside an activation
 * window. Live windows are preferred, then privileged entitlements, then the newest grant.
 */
function grantAt(i: string, a: string, e: string, t: string): string {
  return `(
    select g.id as grant_id, g.entitlement_id, g.request_id, act.id as activation_id
    from grants g
    -- Lateral, so the planner must start from the person's few grants (grants_identity), never
    -- from an entitlement's thousands of holders.
    cross join lateral (select e.privileged from entitlements e where e.id = g.entitlement_id and e.application_id = ${a} offset 0) ge
    left join lateral (
      select w.id from activations w
      where w.grant_id = g.id and w.status <> 'pending' and w.starts_at <= ${t} and ${t} < coalesce(w.ended_at, w.ends_at)
      order by w.starts_at desc limit 1
    ) act on true
    where g.identity_id = ${i} and (${e} is null or g.entitlement_id = ${e})
      and g.source <> 'detected' and g.granted_at <= ${t}
      and (g.ended_at is null or ${t} < g.ended_at) and (g.expires_at is null or ${t} < g.expires_at)
      and not (g.status in ('revoked', 'expired') and g.ended_at is null and g.updated_at <= ${t})
      and (g.kind <> 'eligible' or act.id is not null)
    order by (act.id is not null) desc, ge.privileged desc, g.granted_at desc
    limit 1
  )`;
}

/** Accounts and entitlements, resolved once per distinct name in the batch rather than per event. */
async function resolveStaged(tx: Tx): Promise<void> {
  await tx.execute(
    sql.raw(`
    insert into ingest_accounts
    select k.application_id, coalesce(k.account_name, E'\\x01'), coalesce(k.account_external_id, E'\\x01'), a.id, a.identity_id
    from (select distinct application_id, account_name, account_external_id from ingest_stage) k
    left join accounts a on a.id = coalesce(
      (select a1.id from accounts a1 where a1.application_id = k.application_id and lower(a1.username) = lower(k.account_name) limit 1),
      (select a2.id from accounts a2 where a2.application_id = k.application_id and a2.external_id = k.account_external_id limit 1))`),
  );
  await tx.execute(
    sql.raw(`
    insert into ingest_entitlements
    select h.application_id, h.hints,
      (select e.id from unnest(h.hints) with ordinality as x(name, n)
       join entitlements e on e.application_id = h.application_id and (lower(e.name) = lower(x.name) or e.external_id = x.name)
       order by x.n limit 1)
    from (select distinct application_id, hints from ingest_stage) h`),
  );
  // Temporary tables have no statistics until analysed; without them the planner guesses a
  // handful of rows and joins the batch to sessions by nested loops.
  await tx.execute(sql.raw("analyze ingest_stage (application_id, account_name, session_id); analyze ingest_accounts; analyze ingest_entitlements"));
}

/**
 * Sessions first: every event with a session id creates or extends its session. Merging is
 * commutative (earliest start, latest end, union of event ids and participants, first known
 * owner), so events may arrive in any order and any number of times with the same result.
 * Joins and leaves name participants, never the owner. A start that failed opens nothing.
 */
/** Returns the sessions that existed before this batch: their merged start may need another grant. */
async function upsertSessions(tx: Tx, source: string): Promise<number[]> {
  const rows = await tx.execute<{ id: number; inserted: boolean }>(sql`
    with parts as (
      -- The columns sessions need (not the raw events: this is materialised, and would spill to disk).
      select r.session_id, r.session_phase, r.session_started_at, r.session_ended_at, r.occurred_at, r.event_id, r.application_id,
        r.account_name, r.account_id, r.identity_id, r.entitlement_id, r.login, r.target, r.recording_ref, r.participants
      from ${sql.raw(RESOLVED)} r where session_id is not null and not (failed and session_phase = 'start')
    ),
    owner as (
      select distinct on (session_id) session_id, account_name, account_id, identity_id
      from parts where session_phase not in ('join', 'leave') and account_name is not null
      order by session_id, case session_phase when 'start' then 0 when 'end' then 1 else 2 end, occurred_at
    ),
    people as (
      select session_id, array_agg(distinct p order by p) as participants from parts, unnest(participants) p group by session_id
    ),
    grouped as (
      select session_id,
        (array_agg(application_id))[1] as application_id,
        min(coalesce(session_started_at, occurred_at)) as started_at,
        max(session_ended_at) as ended_at,
        (array_agg(entitlement_id order by occurred_at) filter (where entitlement_id is not null))[1] as entitlement_id,
        (array_agg(login order by occurred_at) filter (where login is not null))[1] as login,
        (array_agg(target order by occurred_at) filter (where target is not null))[1] as target,
        (array_agg(recording_ref) filter (where recording_ref is not null))[1] as recording_ref,
        coalesce(array_agg(distinct event_id) filter (where session_phase <> 'activity'), '{}') as event_ids
      from parts group by session_id
    )
    insert into privileged_sessions as ps (source, source_session_id, identity_id, account_id, application_id, entitlement_id, account_name,
      login, target, started_at, ended_at, duration_seconds, recording_ref, event_ids, participants,
      grant_id, activation_id, request_id, used_without_approval)
    select ${source}, sg.session_id, o.identity_id, o.account_id, sg.application_id, coalesce(sg.entitlement_id, gr.entitlement_id), o.account_name, sg.login, sg.target,
      sg.started_at, sg.ended_at, case when sg.ended_at is not null then greatest(0, extract(epoch from sg.ended_at - sg.started_at))::int end,
      sg.recording_ref, sg.event_ids, coalesce(p.participants, '{}'),
      gr.grant_id, gr.activation_id, gr.request_id, o.identity_id is not null and gr.grant_id is null
    from grouped sg left join owner o using (session_id) left join people p using (session_id)
    left join lateral ${sql.raw(grantAt("o.identity_id", "sg.application_id", "sg.entitlement_id", "sg.started_at"))} gr on o.identity_id is not null
    -- One lock order for every writer, so concurrent batches wait rather than deadlock.
    order by sg.session_id
    -- A new session is linked here, once; one that existed is relinked after the merge (linkSessions).
    on conflict (source, source_session_id) do update set
      identity_id = coalesce(ps.identity_id, excluded.identity_id),
      account_id = coalesce(ps.account_id, excluded.account_id),
      account_name = coalesce(ps.account_name, excluded.account_name),
      application_id = coalesce(ps.application_id, excluded.application_id),
      entitlement_id = coalesce(ps.entitlement_id, excluded.entitlement_id),
      login = coalesce(ps.login, excluded.login),
      target = coalesce(ps.target, excluded.target),
      recording_ref = coalesce(ps.recording_ref, excluded.recording_ref),
      started_at = least(ps.started_at, excluded.started_at),
      ended_at = greatest(ps.ended_at, excluded.ended_at),
      duration_seconds = case when greatest(ps.ended_at, excluded.ended_at) is not null
        then greatest(0, extract(epoch from greatest(ps.ended_at, excluded.ended_at) - least(ps.started_at, excluded.started_at)))::int end,
      event_ids = array(select distinct x from unnest(ps.event_ids || excluded.event_ids) x order by x),
      participants = array(select distinct x from unnest(ps.participants || excluded.participants) x order by x)
    returning ps.id, ps.xmax = 0 as inserted`);
  return rows.filter((r) => !r.inserted).map((r) => Number(r.id));
}

/**
 * (Re)links touched sessions to the grant and activation in force when they started: a start
 * arriving after its end moves the start, and with it, possibly, the grant that covered it.
 */
async function linkSessions(tx: Tx, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.execute(sql`
    update privileged_sessions ps set
      grant_id = l.grant_id, activation_id = l.activation_id, request_id = l.request_id,
      entitlement_id = coalesce(ps.entitlement_id, l.grant_entitlement_id), used_without_approval = l.without
    from (
      select s.id, gr.grant_id, gr.activation_id, gr.request_id, gr.entitlement_id as grant_entitlement_id,
        (s.identity_id is not null and gr.grant_id is null) as without
      from privileged_sessions s
      left join lateral ${sql.raw(grantAt("s.identity_id", "s.application_id", "s.entitlement_id", "s.started_at"))} gr on s.identity_id is not null
      where s.id = any(${`{${ids.join(",")}}`}::bigint[])
    ) l
    where ps.id = l.id
      and (ps.grant_id, ps.activation_id, ps.request_id, ps.used_without_approval) is distinct from (l.grant_id, l.activation_id, l.request_id, l.without)`);
}

export interface BatchCounts {
  staged: number;
  accepted: number;
  unmatched: number;
  withoutApproval: number;
}

/**
 * Every event is stored once (unique source and event id: a repeat is a duplicate and changes
 * nothing), linked at its own time, attached to its session, and moves its account's last-seen.
 */
async function insertUsageEvents(tx: Tx, source: string): Promise<Omit<BatchCounts, "staged">> {
  // Batches of one upload are written two at a time and move the same accounts' last-seen: lock
  // them in one order first (the update below takes them in hash order), so a batch waits for the
  // one before it instead of deadlocking with it.
  await tx.execute(sql`select count(*) from (select a.id from accounts a where a.id in (select account_id from ingest_accounts) order by a.id for no key update) locked`);
  const stmt = sql`
    with ins as (
      insert into usage_events (source, source_event_id, kind, action, occurred_at, identity_id, account_id, application_id, entitlement_id,
        grant_id, activation_id, request_id, session_id, account_name, target, failed, is_use, used_without_approval, raw)
      select ${source}, r.event_id, r.kind, r.action, r.occurred_at, r.identity_id, r.account_id, r.application_id,
        coalesce(r.entitlement_id, gr.entitlement_id), gr.grant_id, gr.activation_id,
        case when r.link_request and r.identity_id is not null then (
          select ar.id from access_requests ar join entitlements re on re.id = ar.entitlement_id
          where ar.beneficiary_id = r.identity_id and re.application_id = r.application_id
            and (r.entitlement_id is null or ar.entitlement_id = r.entitlement_id) and ar.created_at <= r.occurred_at + interval '5 minutes'
          order by ar.created_at desc limit 1)
        else gr.request_id end,
        ps.id, r.account_name, r.target, r.failed, r.is_use,
        r.identity_id is not null and r.is_use and not r.failed and gr.grant_id is null,
        r.raw
      from ${sql.raw(RESOLVED)} r
      left join lateral ${sql.raw(grantAt("r.identity_id", "r.application_id", "r.entitlement_id", "r.occurred_at"))} gr
        on r.identity_id is not null and r.is_use and not r.failed
      left join privileged_sessions ps on ps.source = ${source} and ps.source_session_id = r.session_id
      on conflict (source, source_event_id) do nothing
      returning account_id, identity_id, occurred_at, kind, failed, used_without_approval
    ),
    seen as (
      update accounts a set last_seen_at = greatest(a.last_seen_at, m.seen), last_login_at = greatest(a.last_login_at, m.login)
      from (
        select account_id, max(occurred_at) as seen, max(occurred_at) filter (where kind in ('sign_in', 'session')) as login
        from ins where account_id is not null and not failed group by account_id
      ) m
      where a.id = m.account_id
        and (a.last_seen_at is null or a.last_seen_at < m.seen or (m.login is not null and (a.last_login_at is null or a.last_login_at < m.login)))
      returning a.id
    )
    select count(*) filter (where identity_id is not null)::int as accepted, count(*) filter (where identity_id is null)::int as unmatched,
      count(*) filter (where used_without_approval)::int as without_approval
    from ins`;
  const [row] = await tx.execute<{ accepted: number; unmatched: number; without_approval: number }>(stmt);
  return { accepted: row?.accepted ?? 0, unmatched: row?.unmatched ?? 0, withoutApproval: row?.without_approval ?? 0 };
}

/** Writes one staged batch; the caller's transaction makes it all-or-nothing. */
export async function writeStagedBatch(tx: Tx, args: { source: string; staged: number }): Promise<BatchCounts> {
  await resolveStaged(tx);
  const merged = await upsertSessions(tx, args.source);
  await linkSessions(tx, merged);
  const counts = await insertUsageEvents(tx, args.source);
  return { staged: args.staged, ...counts };
}

/** An application named by id or by its exact name (case-insensitive), for the ingest parameter and generic lines. */
export async function findApplicationRef(db: Executor, args: { ref: string }): Promise<{ id: string; name: string } | null> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(args.ref);
  const [row] = await db.execute<{ id: string; name: string }>(
    isUuid ? sql`select id, name from applications where id = ${args.ref}::uuid` : sql`select id, name from applications where lower(name) = lower(${args.ref}) limit 2`,
  );
  return row ?? null;
}
