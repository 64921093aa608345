import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { campaigns, evidenceExports, identities } from "@/db/schema";

export async function insertExportRecord(db: Executor, values: typeof evidenceExports.$inferInsert) {
  const [row] = await db.insert(evidenceExports).values(values).returning();
  return row!;
}

export async function updateExportRecord(db: Executor, id: string, values: Partial<typeof evidenceExports.$inferInsert>) {
  await db.update(evidenceExports).set(values).where(eq(evidenceExports.id, id));
}

export async function getExportRecord(db: Executor, id: string) {
  const [row] = await db.select().from(evidenceExports).where(eq(evidenceExports.id, id));
  return row ?? null;
}

/** Takes a ready export for streaming; null when someone already started it (one download per export). */
export async function claimExportRecord(db: Executor, args: { id: string; requestedById: string; at: Date }) {
  const [row] = await db
    .update(evidenceExports)
    .set({ status: "streaming", startedAt: args.at })
    .where(and(eq(evidenceExports.id, args.id), eq(evidenceExports.requestedById, args.requestedById), eq(evidenceExports.status, "ready")))
    .returning();
  return row ?? null;
}

/** Recent exports with who ran them, newest first, keyset-paged on (created_at, id). */
export async function listExportRecords(db: Executor, args: { before?: { createdAt: Date; id: string }; limit?: number } = {}) {
  const limit = Math.min(args.limit ?? 20, 100);
  return db
    .select({ record: evidenceExports, requestedBy: identities.displayName })
    .from(evidenceExports)
    .innerJoin(identities, eq(identities.id, evidenceExports.requestedById))
    .where(args.before ? or(lt(evidenceExports.createdAt, args.before.createdAt), and(eq(evidenceExports.createdAt, args.before.createdAt), lt(evidenceExports.id, args.before.id))) : undefined)
    .orderBy(desc(evidenceExports.createdAt), desc(evidenceExports.id))
    .limit(limit);
}

/** Campaigns an auditor may export: launched ones, newest first. */
export async function listExportableCampaigns(db: Executor, args: { limit?: number } = {}) {
  return db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      status: campaigns.status,
      itemCount: campaigns.itemCount,
      launchedAt: sql<string | null>`coalesce(${campaigns.launchedAt}, ${campaigns.startsAt})`,
      createdAt: campaigns.createdAt,
    })
    .from(campaigns)
    .where(inArray(campaigns.status, ["launching", "active", "closing", "closed"]))
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(Math.min(args.limit ?? 200, 500));
}

export async function getCampaignForExport(db: Executor, id: string) {
  const [row] = await db
    .select({ id: campaigns.id, name: campaigns.name, status: campaigns.status, createdAt: campaigns.createdAt, launchedAt: campaigns.launchedAt, startsAt: campaigns.startsAt })
    .from(campaigns)
    .where(eq(campaigns.id, id));
  return row ?? null;
}
