import { asc, gt } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { findChainBreak, GENESIS_HASH, type ChainBreak, type ChainRow } from "./hash";

export interface ChainReport {
  ok: boolean;
  checked: number;
  lastId: number | null;
  lastHash: string;
  brokenAt: ChainBreak | null;
}

/** Walks the whole trail in pages (never all in memory) and reports the first broken link. */
export async function verifyAuditChain(db: Executor, options: { pageSize?: number } = {}): Promise<ChainReport> {
  const pageSize = options.pageSize ?? 5_000;
  let afterId = 0;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let lastId: number | null = null;
  for (;;) {
    const rows: ChainRow[] = await db
      .select({
        id: auditEvents.id,
        occurredAt: auditEvents.occurredAt,
        actorKind: auditEvents.actorKind,
        actorId: auditEvents.actorId,
        actorLabel: auditEvents.actorLabel,
        onBehalfOfId: auditEvents.onBehalfOfId,
        action: auditEvents.action,
        entityType: auditEvents.entityType,
        entityId: auditEvents.entityId,
        before: auditEvents.before,
        after: auditEvents.after,
        reason: auditEvents.reason,
        requestId: auditEvents.requestId,
        prevHash: auditEvents.prevHash,
        hash: auditEvents.hash,
      })
      .from(auditEvents)
      .where(gt(auditEvents.id, afterId))
      .orderBy(asc(auditEvents.id))
      .limit(pageSize);
    if (rows.length === 0) break;
    const result = findChainBreak(rows, prevHash);
    checked += result.checked;
    if (result.brokenAt) return { ok: false, checked, lastId, lastHash: prevHash, brokenAt: result.brokenAt };
    prevHash = result.lastHash;
    lastId = rows[rows.length - 1]!.id;
    afterId = lastId;
  }
  return { ok: true, checked, lastId, lastHash: prevHash, brokenAt: null };
}
