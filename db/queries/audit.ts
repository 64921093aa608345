import { and, desc, eq, lt } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { toPage } from "./cursor";

export async function listAuditEvents(db: Executor, args: { beforeId?: number; entityType?: string; entityId?: string; limit?: number }) {
  const limit = Math.min(args.limit ?? 50, 200);
  const rows = await db
    .select()
    .from(auditEvents)
    .where(
      and(
        args.beforeId ? lt(auditEvents.id, args.beforeId) : undefined,
        args.entityType ? eq(auditEvents.entityType, args.entityType) : undefined,
        args.entityId ? eq(auditEvents.entityId, args.entityId) : undefined,
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => [row.id]);
}
