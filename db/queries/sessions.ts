import { and, asc, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { activations, applications, entitlements, grants, identities, privilegedSessions, usageEvents } from "@/db/schema";
import { decodeCursor, toPage } from "./cursor";
import { escapeLike } from "./identities";
import { evidenceVisible, isNarrow, uuidList, type Scope } from "./scope";

export interface SessionFilters {
  identityId?: string;
  applicationId?: string;
  /** Matches the holder's name or email (resolved to ids first), or the account name exactly. */
  q?: string;
  /** Matches application names (resolved to ids first). */
  application?: string;
  source?: string;
  privileged?: boolean;
  withoutApproval?: boolean;
  unmatched?: boolean;
  cursor?: string | null;
  limit?: number;
}

/** Names typed into the filters, resolved against the small tables so the session query filters on id lists. */
async function resolveNames(db: Executor, filters: SessionFilters) {
  const [people, apps] = await Promise.all([
    filters.q?.trim()
      ? db.execute<{ id: string }>(sql`select id from identities where display_name ilike ${`%${escapeLike(filters.q.trim())}%`} or email ilike ${`%${escapeLike(filters.q.trim())}%`} limit 5000`)
      : Promise.resolve(null),
    filters.application?.trim() ? db.execute<{ id: string }>(sql`select id from applications where name ilike ${`%${escapeLike(filters.application.trim())}%`} limit 5000`) : Promise.resolve(null),
  ]);
  return { identityIds: people?.map((r) => r.id) ?? null, applicationIds: apps?.map((r) => r.id) ?? null };
}

/** Newest first, keyset-paged on (started_at, id), in the actor's scope. */
export async function listSessions(db: Executor, args: { scope: Scope; filters: SessionFilters }) {
  const { filters } = args;
  const limit = Math.min(filters.limit ?? 50, 200);
  const after = decodeCursor(filters.cursor);
  const names = await resolveNames(db, filters);
  const q = filters.q?.trim();
  const rows = await db
    .select({
      id: privilegedSessions.id,
      source: privilegedSessions.source,
      sourceSessionId: privilegedSessions.sourceSessionId,
      startedAt: privilegedSessions.startedAt,
      endedAt: privilegedSessions.endedAt,
      durationSeconds: privilegedSessions.durationSeconds,
      login: privilegedSessions.login,
      target: privilegedSessions.target,
      accountName: privilegedSessions.accountName,
      usedWithoutApproval: privilegedSessions.usedWithoutApproval,
      grantId: privilegedSessions.grantId,
      activationId: privilegedSessions.activationId,
      identityId: identities.id,
      identityName: identities.displayName,
      identityType: identities.type,
      applicationId: applications.id,
      applicationName: applications.name,
      entitlementId: entitlements.id,
      entitlementName: entitlements.name,
      privileged: entitlements.privileged,
      breakGlass: entitlements.breakGlass,
    })
    .from(privilegedSessions)
    .leftJoin(identities, eq(identities.id, privilegedSessions.identityId))
    .leftJoin(applications, eq(applications.id, privilegedSessions.applicationId))
    .leftJoin(entitlements, eq(entitlements.id, privilegedSessions.entitlementId))
    .where(
      and(
        evidenceVisible(args.scope, privilegedSessions),
        filters.identityId ? eq(privilegedSessions.identityId, filters.identityId) : undefined,
        filters.applicationId ? eq(privilegedSessions.applicationId, filters.applicationId) : undefined,
        names.applicationIds ? sql`${privilegedSessions.applicationId} = any(${uuidList(names.applicationIds)})` : undefined,
        q ? sql`(${privilegedSessions.identityId} = any(${uuidList(names.identityIds ?? [])}) or lower(${privilegedSessions.accountName}) = lower(${q}))` : undefined,
        filters.source ? eq(privilegedSessions.source, filters.source) : undefined,
        filters.privileged === undefined ? undefined : filters.privileged ? eq(entitlements.privileged, true) : sql`coalesce(${entitlements.privileged}, false) = false`,
        filters.withoutApproval ? eq(privilegedSessions.usedWithoutApproval, true) : undefined,
        filters.unmatched ? sql`${privilegedSessions.identityId} is null` : undefined,
        after ? sql`(${privilegedSessions.startedAt}, ${privilegedSessions.id}) < (${String(after[0])}::timestamptz, ${Number(after[1])}::bigint)` : undefined,
      ),
    )
    // "+ interval '0'" keeps a narrow scope off the started_at index (see isNarrow).
    .orderBy(isNarrow(args.scope) ? sql`${privilegedSessions.startedAt} + interval '0 seconds' desc` : desc(privilegedSessions.startedAt), desc(privilegedSessions.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => [row.startedAt.toISOString(), row.id]);
}

export async function isSessionVisible(db: Executor, args: { scope: Scope; sessionId: number }): Promise<boolean> {
  const [row] = await db
    .select({ id: privilegedSessions.id })
    .from(privilegedSessions)
    .where(and(eq(privilegedSessions.id, args.sessionId), evidenceVisible(args.scope, privilegedSessions)));
  return Boolean(row);
}

const approver = alias(identities, "approver");

/** One session with who, where, and the grant and activation that allowed it (if any). */
export async function getSession(db: Executor, args: { sessionId: number }) {
  const [row] = await db
    .select({
      session: privilegedSessions,
      identity: { id: identities.id, displayName: identities.displayName, type: identities.type, status: identities.status },
      application: { id: applications.id, name: applications.name },
      entitlement: { id: entitlements.id, name: entitlements.name, privileged: entitlements.privileged, breakGlass: entitlements.breakGlass, maxDurationMinutes: entitlements.maxDurationMinutes },
      grant: {
        id: grants.id,
        kind: grants.kind,
        status: grants.status,
        source: grants.source,
        grantedAt: grants.grantedAt,
        expiresAt: grants.expiresAt,
        approvedAt: grants.approvedAt,
        justification: grants.justification,
        ticket: grants.ticket,
        requestId: grants.requestId,
      },
      approvedBy: { id: approver.id, displayName: approver.displayName },
      activation: activations,
    })
    .from(privilegedSessions)
    .leftJoin(identities, eq(identities.id, privilegedSessions.identityId))
    .leftJoin(applications, eq(applications.id, privilegedSessions.applicationId))
    .leftJoin(entitlements, eq(entitlements.id, privilegedSessions.entitlementId))
    .leftJoin(grants, eq(grants.id, privilegedSessions.grantId))
    .leftJoin(approver, eq(approver.id, grants.approvedById))
    .leftJoin(activations, eq(activations.id, privilegedSessions.activationId))
    .where(eq(privilegedSessions.id, args.sessionId));
  return row ?? null;
}

/** The events recorded in a session, in order (the first `limit`). */
export async function listSessionEvents(db: Executor, args: { sessionId: number; limit: number }) {
  const [total] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(usageEvents)
    .where(eq(usageEvents.sessionId, args.sessionId));
  const rows = await db
    .select({
      id: usageEvents.id,
      sourceEventId: usageEvents.sourceEventId,
      action: usageEvents.action,
      occurredAt: usageEvents.occurredAt,
      accountName: usageEvents.accountName,
      target: usageEvents.target,
      failed: usageEvents.failed,
    })
    .from(usageEvents)
    .where(eq(usageEvents.sessionId, args.sessionId))
    .orderBy(asc(usageEvents.occurredAt), asc(usageEvents.id))
    .limit(args.limit);
  return { rows, total: total?.n ?? 0 };
}

/** The evidence sources that filed sessions, for the filter (a loose index scan: a handful of values over millions of rows). */
export async function listSessionSources(db: Executor): Promise<string[]> {
  const rows = await db.execute<{ source: string }>(sql`
    with recursive s(source) as (
      (select source from privileged_sessions order by source limit 1)
      union all
      select (select p.source from privileged_sessions p where p.source > s.source order by p.source limit 1) from s where s.source is not null
    )
    select source from s where source is not null limit 100`);
  return rows.map((r) => r.source);
}
