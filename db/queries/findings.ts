import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor, Tx } from "@/db/client";
import { accounts, applications, auditEvents, entitlements, findings, grants, identities, revocations } from "@/db/schema";
import { decodeCursor, toPage } from "./cursor";
import { CANDIDATES } from "./finding-detection";
import { findingVisible, uuidList, type Scope } from "./scope";

type Row = typeof findings.$inferSelect;
export type FindingKind = Row["kind"];
export type FindingSeverity = Row["severity"];

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** What a webhook subscriber is told about a finding that opened. */
export type OpenedFinding = {
  id: string;
  kind: FindingKind;
  severity: FindingSeverity;
  reason: string;
  identity_id: string | null;
  application_id: string | null;
  grant_id: string | null;
  owner_id: string | null;
};

const OPENED_COLUMNS = sql.raw("id, kind, severity, reason, identity_id, application_id, grant_id, owner_id");

/**
 * Folds the candidates of a recompute into the findings table, set-based:
 *  - a finding whose condition still holds is rewritten only if something about it changed (its
 *    reason, evidence, severity, owner…); a resolved one re-opens (a new episode: first seen now),
 *    and so does an accepted one whose exception has expired;
 *  - a condition seen for the first time opens a finding;
 *  - an open or accepted finding whose condition has ended is resolved; it was last seen by the
 *    previous run.
 * An open or accepted finding is, by definition, confirmed by the latest run: last_seen_at moves
 * only when the row is written anyway, so an hourly run over 100,000 unchanged findings writes
 * nothing. The current status is read under FOR UPDATE in the same statement, so an exception
 * accepted while the recompute ran is never overwritten with a stale status.
 */
export async function mergeCandidates(tx: Tx, args: { now: Date; previousRunAt: Date | null }) {
  const at = ts(args.now);
  const [merged] = await tx.execute<{ changed: number; reopened: OpenedFinding[] }>(sql`
    with cur as (
      select f.id, f.status, c.dedupe_key from findings f join ${sql.raw(CANDIDATES)} c on c.dedupe_key = f.dedupe_key
      where f.status = 'resolved' or (f.status = 'accepted' and f.accepted_until <= ${at})
         or (f.kind, f.severity, f.identity_id, f.grant_id, f.account_id, f.entitlement_id, f.application_id, f.owner_id, f.reason, f.evidence)
            is distinct from (c.kind, c.severity, c.identity_id, c.grant_id, c.account_id, c.entitlement_id, c.application_id, c.owner_id, c.reason, c.evidence)
      for update of f
    ), upd as (
      update findings f set
        kind = c.kind, severity = c.severity, identity_id = c.identity_id, grant_id = c.grant_id, account_id = c.account_id,
        entitlement_id = c.entitlement_id, application_id = c.application_id, owner_id = c.owner_id, reason = c.reason,
        evidence = c.evidence, last_seen_at = ${at},
        status = (case when cur.status = 'resolved' or (cur.status = 'accepted' and f.accepted_until <= ${at}) then 'open' else cur.status::text end)::finding_status,
        first_seen_at = case when cur.status = 'resolved' then ${at} else f.first_seen_at end,
        resolved_at = case when cur.status = 'resolved' then null else f.resolved_at end
      from cur join ${sql.raw(CANDIDATES)} c on c.dedupe_key = cur.dedupe_key
      where f.id = cur.id
      returning f.id, f.kind, f.severity, f.reason, f.identity_id, f.application_id, f.grant_id, f.owner_id, cur.status::text as was, f.status::text as now_status
    )
    select count(*)::int as changed,
           coalesce(jsonb_agg(jsonb_build_object('id', id, 'kind', kind, 'severity', severity, 'reason', reason, 'identity_id', identity_id,
                                                 'application_id', application_id, 'grant_id', grant_id, 'owner_id', owner_id))
                    filter (where was <> 'open' and now_status = 'open'), '[]'::jsonb) as reopened
    from upd`);

  const opened = await tx.execute<OpenedFinding>(sql`
    with ins as (
      insert into findings (kind, severity, status, dedupe_key, identity_id, grant_id, account_id, entitlement_id, application_id, owner_id,
                            reason, evidence, first_seen_at, last_seen_at)
      select c.kind, c.severity, 'open', c.dedupe_key, c.identity_id, c.grant_id, c.account_id, c.entitlement_id, c.application_id, c.owner_id,
             c.reason, c.evidence, ${at}, ${at}
      from ${sql.raw(CANDIDATES)} c
      where not exists (select 1 from findings f where f.dedupe_key = c.dedupe_key)
      on conflict (dedupe_key) do nothing
      returning ${OPENED_COLUMNS}
    ) select * from ins`);

  const [resolved] = await tx.execute<{ n: number }>(sql`
    with res as (
      update findings f set status = 'resolved', resolved_at = ${at}, last_seen_at = coalesce(${args.previousRunAt ? ts(args.previousRunAt) : null}, f.last_seen_at)
      where f.status in ('open', 'accepted') and not exists (select 1 from ${sql.raw(CANDIDATES)} c where c.dedupe_key = f.dedupe_key)
      returning 1
    ) select count(*)::int as n from res`);

  return { opened: [...opened], reopened: merged?.reopened ?? [], changed: merged?.changed ?? 0, resolved: resolved?.n ?? 0 };
}

export async function countCandidatesByKind(tx: Tx): Promise<Record<string, number>> {
  const rows = await tx.execute<{ kind: string; n: number }>(sql.raw(`select kind::text, count(*)::int as n from ${CANDIDATES} group by kind order by kind`));
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

export async function countFindingsByStatus(db: Executor, args: { scope: Scope }) {
  const rows = await db
    .select({ status: findings.status, severity: findings.severity, n: sql<number>`count(*)::int` })
    .from(findings)
    .where(and(sql`${findings.status} in ('open', 'accepted')`, findingVisible(args.scope, findings)))
    .groupBy(findings.status, findings.severity);
  return rows;
}

export interface FindingFilters {
  status?: "open" | "accepted" | "resolved" | "all";
  kind?: FindingKind;
  applicationId?: string;
  ownerId?: string;
  identityId?: string;
  severity?: FindingSeverity;
  /** Only findings first seen at least this many days ago. */
  olderThanDays?: number;
  cursor?: string | null;
  limit?: number;
}

const subject = alias(identities, "subject");
const owner = alias(identities, "owner");
const acceptedBy = alias(identities, "accepted_by");

function filterConditions(filters: FindingFilters, now: Date): (SQL | undefined)[] {
  const status = filters.status ?? "open";
  return [
    status === "all" ? undefined : eq(findings.status, status),
    filters.kind ? eq(findings.kind, filters.kind) : undefined,
    filters.applicationId ? eq(findings.applicationId, filters.applicationId) : undefined,
    filters.ownerId ? eq(findings.ownerId, filters.ownerId) : undefined,
    filters.identityId ? eq(findings.identityId, filters.identityId) : undefined,
    filters.severity ? eq(findings.severity, filters.severity) : undefined,
    filters.olderThanDays ? sql`${findings.firstSeenAt} <= ${ts(now)} - ${`${filters.olderThanDays} days`}::interval` : undefined,
  ];
}

/**
 * Most severe first, then oldest first; keyset-paged on (severity, first seen, id). The page is
 * chosen on the findings table alone and only its rows are joined to names: joining first made
 * PostgreSQL look up names for every finding of the top severity before sorting.
 */
export async function listFindings(db: Executor, args: { scope: Scope; filters: FindingFilters; now: Date }) {
  const { filters } = args;
  const limit = Math.min(filters.limit ?? 50, 200);
  const after = decodeCursor(filters.cursor);
  const page = await db
    .select({ id: findings.id })
    .from(findings)
    .where(
      and(
        findingVisible(args.scope, findings),
        ...filterConditions(filters, args.now),
        after
          ? sql`(${findings.severity} < ${String(after[0])}::risk_level or (${findings.severity} = ${String(after[0])}::risk_level
                and (${findings.firstSeenAt}, ${findings.id}) > (${String(after[1])}::timestamptz, ${String(after[2])}::uuid)))`
          : undefined,
      ),
    )
    // "nulls last" as in the findings_open index, so the page is read off it in order.
    .orderBy(sql`${findings.severity} desc nulls last`, asc(findings.firstSeenAt), asc(findings.id))
    .limit(limit + 1);
  if (page.length === 0) return toPage([], limit, () => []);
  const rows = await db
    .select({
      id: findings.id,
      kind: findings.kind,
      severity: findings.severity,
      status: findings.status,
      reason: findings.reason,
      firstSeenAt: findings.firstSeenAt,
      lastSeenAt: findings.lastSeenAt,
      acceptedUntil: findings.acceptedUntil,
      identityId: findings.identityId,
      identityName: subject.displayName,
      identityKind: subject.kind,
      applicationId: findings.applicationId,
      applicationName: applications.name,
      entitlementName: entitlements.name,
      accountName: accounts.username,
      ownerId: findings.ownerId,
      ownerName: owner.displayName,
    })
    .from(findings)
    .leftJoin(subject, eq(subject.id, findings.identityId))
    .leftJoin(applications, eq(applications.id, findings.applicationId))
    .leftJoin(entitlements, eq(entitlements.id, findings.entitlementId))
    .leftJoin(accounts, eq(accounts.id, findings.accountId))
    .leftJoin(owner, eq(owner.id, findings.ownerId))
    .where(sql`${findings.id} = any(${uuidList(page.map((p) => p.id))})`);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = page.map((p) => byId.get(p.id)).filter((r): r is (typeof rows)[number] => r !== undefined);
  return toPage(ordered, limit, (row) => [row.severity, row.firstSeenAt.toISOString(), row.id]);
}

/** The applications and owners that appear among the findings someone may see, for the filter menus. */
export async function listFindingFilterOptions(db: Executor, args: { scope: Scope }) {
  const live = db
    .select({ applicationId: findings.applicationId, ownerId: findings.ownerId })
    .from(findings)
    .where(and(sql`${findings.status} in ('open', 'accepted')`, findingVisible(args.scope, findings)))
    .as("live");
  const [apps, owners] = await Promise.all([
    db
      .select({ id: applications.id, name: applications.name })
      .from(applications)
      .where(sql`${applications.id} in (select distinct ${live.applicationId} from ${live})`)
      .orderBy(applications.name)
      .limit(500),
    db
      .select({ id: owner.id, name: owner.displayName })
      .from(owner)
      .where(sql`${owner.id} in (select distinct ${live.ownerId} from ${live})`)
      .orderBy(owner.displayName)
      .limit(500),
  ]);
  return { applications: apps, owners };
}

export async function isFindingVisible(db: Executor, args: { scope: Scope; findingId: string }): Promise<boolean> {
  const [row] = await db
    .select({ id: findings.id })
    .from(findings)
    .where(and(eq(findings.id, args.findingId), findingVisible(args.scope, findings)));
  return Boolean(row);
}

export async function getFinding(db: Executor, args: { findingId: string }) {
  const [row] = await db
    .select({
      finding: findings,
      identity: { id: subject.id, displayName: subject.displayName, kind: subject.kind, type: subject.type, status: subject.status },
      application: { id: applications.id, name: applications.name },
      entitlement: { id: entitlements.id, name: entitlements.name, privileged: entitlements.privileged },
      account: { id: accounts.id, username: accounts.username, status: accounts.status },
      owner: { id: owner.id, displayName: owner.displayName },
      acceptedBy: { id: acceptedBy.id, displayName: acceptedBy.displayName },
    })
    .from(findings)
    .leftJoin(subject, eq(subject.id, findings.identityId))
    .leftJoin(applications, eq(applications.id, findings.applicationId))
    .leftJoin(entitlements, eq(entitlements.id, findings.entitlementId))
    .leftJoin(accounts, eq(accounts.id, findings.accountId))
    .leftJoin(owner, eq(owner.id, findings.ownerId))
    .leftJoin(acceptedBy, eq(acceptedBy.id, findings.acceptedById))
    .where(eq(findings.id, args.findingId));
  return row ?? null;
}

/** The finding row, locked for a decision on it. */
export async function lockFinding(tx: Tx, args: { findingId: string }) {
  const [row] = await tx.select().from(findings).where(eq(findings.id, args.findingId)).for("update");
  return row ?? null;
}

export async function acceptFindingRow(tx: Tx, args: { findingId: string; until: Date; byId: string; reason: string }) {
  await tx.update(findings).set({ status: "accepted", acceptedUntil: args.until, acceptedById: args.byId, acceptReason: args.reason }).where(eq(findings.id, args.findingId));
}

/**
 * The live grants a finding's "revoke" may act on: its own grant, every grant of a SoD conflict,
 * or every live grant a leaver still has in the application. With what a permission check needs.
 */
export async function listRevocableGrants(db: Executor, args: { findingId: string }) {
  return db.execute<{
    id: string;
    status: string;
    kind: string;
    identity_id: string;
    identity_name: string;
    entitlement: string;
    application: string;
    entitlement_owner_id: string | null;
    application_owner_ids: string[];
  }>(sql`
    select g.id, g.status, g.kind, g.identity_id, i.display_name as identity_name, e.name as entitlement, a.name as application,
           e.owner_id as entitlement_owner_id,
           array(select ao.identity_id::text from application_owners ao where ao.application_id = a.id) as application_owner_ids
    from findings f
    join grants g on g.status in ('active', 'pending_revocation') and (
      g.id = f.grant_id
      or (f.kind = 'sod_conflict' and g.id::text in (select jsonb_array_elements_text(f.evidence -> 'grantIds')))
      or (f.kind = 'leaver_account' and g.identity_id = f.identity_id
          and g.entitlement_id in (select e2.id from entitlements e2 where e2.application_id = f.application_id)))
    join entitlements e on e.id = g.entitlement_id
    join applications a on a.id = e.application_id
    join identities i on i.id = g.identity_id
    where f.id = ${args.findingId}
    order by a.name, e.name
    limit 50`);
}

/** Revocations started from this finding, newest first, with their state. */
export async function listFindingRevocations(db: Executor, args: { findingId: string }) {
  return db
    .select({
      id: revocations.id,
      grantId: revocations.grantId,
      status: revocations.status,
      requestedAt: revocations.requestedAt,
      verifiedAt: revocations.verifiedAt,
      lastError: revocations.lastError,
      entitlement: entitlements.name,
    })
    .from(revocations)
    .innerJoin(grants, eq(grants.id, revocations.grantId))
    .innerJoin(entitlements, eq(entitlements.id, grants.entitlementId))
    .where(and(eq(revocations.cause, "finding"), eq(revocations.causeRef, args.findingId)))
    .orderBy(desc(revocations.requestedAt));
}

/** When findings were last computed, and what that run found: the newest summary in the audit trail. */
export async function lastRecompute(db: Executor) {
  const [row] = await db
    .select({ at: auditEvents.occurredAt, after: auditEvents.after, actorLabel: auditEvents.actorLabel })
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, "findings"), eq(auditEvents.entityId, "recompute")))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return row ?? null;
}
