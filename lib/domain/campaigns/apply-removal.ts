import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { reviewItems } from "@/db/schema";
import type { AuditActor } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { reduceGrant } from "@/lib/domain/revocations/reduce-grant";
import { requestRevocation } from "@/lib/domain/revocations/request-revocation";

export interface RemovalItem {
  id: string;
  grantId: string | null;
  decision: string | null;
  comment: string | null;
  reduceTo: "eligible" | "time_bound" | null;
  reduceExpiresAt: Date | null;
}

/**
 * Hands a revoke or reduce decision to the revocation pipeline, in the caller's transaction, and
 * links the revocation to the item so the reviewer can follow it to verified. Runs when the
 * decision is made (campaigns whose removals apply on decision) or when the campaign closes.
 */
export async function applyRemoval(deps: Deps, tx: Executor, item: RemovalItem, actor: AuditActor): Promise<string | null> {
  if (!item.grantId || (item.decision !== "revoke" && item.decision !== "reduce")) return null;
  const { revocationId } =
    item.decision === "revoke"
      ? await requestRevocation(deps, tx, { grantId: item.grantId, cause: "review", causeRef: item.id, actor, reason: item.comment })
      : await reduceGrant(deps, tx, { grantId: item.grantId, to: item.reduceTo ?? "eligible", expiresAt: item.reduceExpiresAt, causeRef: item.id, actor, reason: item.comment });
  await tx.update(reviewItems).set({ revocationId }).where(eq(reviewItems.id, item.id));
  return revocationId;
}
