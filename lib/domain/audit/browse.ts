import { z } from "zod";
import { decodeCursor } from "@/db/queries/cursor";
import { countAuditEvents, listAuditActions, listAuditEvents, type AuditFilter } from "@/db/queries/audit";
import { Forbidden } from "@/lib/errors";
import type { Actor } from "@/lib/domain/access/actor";
import { canViewAuditTrail } from "@/lib/domain/access/rules";
import type { Deps } from "@/lib/domain/deps";
import { verifyAuditChain } from "./verify-chain";

const text = (max: number) => z.string().trim().min(1).max(max).optional().catch(undefined);
const day = z.iso.date().optional().catch(undefined);

export const auditFiltersSchema = z.object({
  /** An actor's id, or part of their email or label. */
  actor: text(200),
  /** An action ("review.decided"), or a prefix ending in a dot ("review."). */
  action: text(100),
  entityType: text(50),
  entityId: text(100),
  /** A UTC day range, inclusive; the last 30 days when not given. */
  from: day,
  to: day,
  cursor: z.string().max(200).optional().catch(undefined),
  verify: z.enum(["1"]).optional().catch(undefined),
});
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

const DAY = 86_400_000;
export const DEFAULT_RANGE_DAYS = 30;

/** The day range the filters name, defaulting to the last 30 days up to today (UTC). */
export function auditRange(filters: AuditFilters, now: Date): { from: string; to: string } {
  const today = now.toISOString().slice(0, 10);
  const to = filters.to ?? today;
  const from = filters.from ?? new Date(new Date(`${to}T00:00:00Z`).getTime() - DEFAULT_RANGE_DAYS * DAY).toISOString().slice(0, 10);
  return from <= to ? { from, to } : { from: to, to: from };
}

/**
 * Admins and auditors read the trail, newest first, filtered by actor, action, entity and a day
 * range, keyset-paged, with a count of the matches; verifying the whole chain is on request.
 */
export async function browseAuditTrail(deps: Deps, actor: Actor, filters: AuditFilters) {
  if (!canViewAuditTrail(actor)) throw new Forbidden("Only admins and auditors can read the audit trail.");
  const after = decodeCursor(filters.cursor);
  const range = auditRange(filters, deps.now());
  const filter: AuditFilter = {
    actor: filters.actor,
    action: filters.action,
    entityType: filters.entityType,
    entityId: filters.entityId,
    from: new Date(`${range.from}T00:00:00.000Z`),
    to: new Date(new Date(`${range.to}T00:00:00.000Z`).getTime() + DAY - 1),
  };
  const [page, total, actions, verification] = await Promise.all([
    listAuditEvents(deps.db, { ...filter, beforeId: typeof after?.[0] === "number" ? after[0] : undefined }),
    countAuditEvents(deps.db, filter),
    listAuditActions(deps.db),
    filters.verify ? verifyAuditChain(deps.db) : Promise.resolve(null),
  ]);
  return { ...page, total, actions, range, verification, checkedAt: deps.now() };
}
