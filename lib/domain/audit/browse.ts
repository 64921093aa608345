import { z } from "zod";
import { decodeCursor } from "@/db/queries/cursor";
import { listAuditEvents } from "@/db/queries/audit";
import { Forbidden } from "@/lib/errors";
import type { Actor } from "@/lib/domain/access/actor";
import { canViewAuditTrail } from "@/lib/domain/access/rules";
import type { Deps } from "@/lib/domain/deps";
import { verifyAuditChain } from "./verify-chain";

export const auditFiltersSchema = z.object({
  entityType: z.string().trim().min(1).max(50).optional().catch(undefined),
  entityId: z.string().trim().min(1).max(100).optional().catch(undefined),
  cursor: z.string().max(200).optional().catch(undefined),
  verify: z.enum(["1"]).optional().catch(undefined),
});

/** Admins and auditors read the trail, newest first; verifying the whole chain is on request. */
export async function browseAuditTrail(deps: Deps, actor: Actor, filters: z.infer<typeof auditFiltersSchema>) {
  if (!canViewAuditTrail(actor)) throw new Forbidden("Only admins and auditors can read the audit trail.");
  const after = decodeCursor(filters.cursor);
  const [page, verification] = await Promise.all([
    listAuditEvents(deps.db, { beforeId: typeof after?.[0] === "number" ? after[0] : undefined, entityType: filters.entityType, entityId: filters.entityId }),
    filters.verify ? verifyAuditChain(deps.db) : Promise.resolve(null),
  ]);
  return { ...page, verification, checkedAt: deps.now() };
}
