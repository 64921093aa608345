import { and, desc, eq, gte, ilike, lt, lte, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditCheckpoints, auditEvents } from "@/db/schema";
import { toPage } from "./cursor";

export interface AuditFilter {
  beforeId?: number;
  entityType?: string;
  entityId?: string;
  /** An actor's id, or part of their label (email or token name). */
  actor?: string;
  /** An action, or its prefix ending in a dot ("review." matches every review action). */
  action?: string;
  from?: Date;
  to?: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

function auditWhere(args: AuditFilter) {
  return and(
    args.entityType ? eq(auditEvents.entityType, args.entityType) : undefined,
    args.entityId ? eq(auditEvents.entityId, args.entityId) : undefined,
    args.actor ? (UUID.test(args.actor) ? eq(auditEvents.actorId, args.actor) : ilike(auditEvents.actorLabel, `%${escapeLike(args.actor)}%`)) : undefined,
    args.action ? (args.action.endsWith(".") ? sql`${auditEvents.action} like ${`${escapeLike(args.action)}%`}` : eq(auditEvents.action, args.action)) : undefined,
    args.from ? gte(auditEvents.occurredAt, args.from) : undefined,
    args.to ? lte(auditEvents.occurredAt, args.to) : undefined,
  );
}

/** Newest first, keyset-paged on id. */
export async function listAuditEvents(db: Executor, args: AuditFilter & { limit?: number }) {
  const limit = Math.min(args.limit ?? 50, 200);
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(args.beforeId ? lt(auditEvents.id, args.beforeId) : undefined, auditWhere(args)))
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => [row.id]);
}

/** How many events match, counted up to `cap` (a count over millions of rows is not worth its wait). */
export async function countAuditEvents(db: Executor, args: AuditFilter, cap = 10_000): Promise<{ count: number; capped: boolean }> {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int n from (select 1 from ${auditEvents} where ${auditWhere(args) ?? sql`true`} limit ${cap + 1}) x`);
  const n = row?.n ?? 0;
  return { count: Math.min(n, cap), capped: n > cap };
}

/** The distinct actions recorded, for the filter's suggestions. */
export async function listAuditActions(db: Executor): Promise<string[]> {
  const rows = await db.execute<{ action: string }>(sql`
    with recursive a(action) as (
      (select action from audit_events order by action limit 1)
      union all
      select (select action from audit_events where action > a.action order by action limit 1) from a where a.action is not null
    ) select action from a where action is not null`);
  return rows.map((r) => r.action);
}

export async function getAuditEvent(db: Executor, id: number) {
  const [row] = await db.select().from(auditEvents).where(eq(auditEvents.id, id));
  return row ?? null;
}

/** The last committed event: writers hold the chain lock until they commit, so ids commit in order. */
export async function auditHead(db: Executor): Promise<{ id: number; hash: string; occurredAt: Date } | null> {
  const [row] = await db.select({ id: auditEvents.id, hash: auditEvents.hash, occurredAt: auditEvents.occurredAt }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  return row ?? null;
}

/** The event just before `id` (ids may skip after a rolled-back insert). */
export async function auditEventBefore(db: Executor, id: number): Promise<{ id: number; hash: string } | null> {
  const [row] = await db.select({ id: auditEvents.id, hash: auditEvents.hash }).from(auditEvents).where(lt(auditEvents.id, id)).orderBy(desc(auditEvents.id)).limit(1);
  return row ?? null;
}

/** The first event at or after a time, or about an entity (where an export's audit segment starts). */
export async function firstAuditEventId(db: Executor, args: { from?: Date; entityType?: string; entityId?: string }): Promise<number | null> {
  const [row] = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(
      or(
        args.from ? gte(auditEvents.occurredAt, args.from) : undefined,
        args.entityType && args.entityId ? and(eq(auditEvents.entityType, args.entityType), eq(auditEvents.entityId, args.entityId)) : undefined,
      ),
    )
    .orderBy(auditEvents.id)
    .limit(1);
  return row?.id ?? null;
}

export async function insertCheckpoint(db: Executor, values: typeof auditCheckpoints.$inferInsert) {
  const [row] = await db.insert(auditCheckpoints).values(values).returning();
  return row!;
}

export async function latestCheckpoint(db: Executor) {
  const [row] = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.id)).limit(1);
  return row ?? null;
}

export async function getCheckpoint(db: Executor, id: number) {
  const [row] = await db.select().from(auditCheckpoints).where(eq(auditCheckpoints.id, id));
  return row ?? null;
}

export async function listCheckpoints(db: Executor, args: { limit?: number } = {}) {
  return db
    .select()
    .from(auditCheckpoints)
    .orderBy(desc(auditCheckpoints.id))
    .limit(Math.min(args.limit ?? 20, 200));
}
