import { z } from "zod";
import {
  countFindingsByStatus,
  getFinding,
  isFindingVisible,
  lastRecompute,
  listFindingFilterOptions,
  listFindingRevocations,
  listFindings,
  listRevocableGrants,
  type FindingFilters,
} from "@/db/queries/findings";
import { NotFound } from "@/lib/errors";
import { env } from "@/lib/env";
import type { Actor } from "@/lib/domain/access/actor";
import { canAcceptFinding, canActOnFindingGrant, canRecomputeFindings } from "@/lib/domain/access/finding-rules";
import { scopeOf } from "@/lib/domain/access/scope";
import type { Deps } from "@/lib/domain/deps";
import { COMPUTED_KINDS, SEVERITIES, type FindingKind } from "./kinds";
import type { RecomputeSummary } from "./recompute";

export const findingFiltersSchema = z.object({
  status: z.enum(["open", "accepted", "resolved", "all"]).optional().catch(undefined),
  kind: z
    .enum(COMPUTED_KINDS as [FindingKind, ...FindingKind[]])
    .optional()
    .catch(undefined),
  applicationId: z.uuid().optional().catch(undefined),
  ownerId: z.uuid().optional().catch(undefined),
  identityId: z.uuid().optional().catch(undefined),
  severity: z
    .enum(SEVERITIES as ["critical", "high", "medium", "low"])
    .optional()
    .catch(undefined),
  olderThanDays: z.coerce.number().int().min(1).max(3650).optional().catch(undefined),
  cursor: z.string().max(500).optional().catch(undefined),
});

/** The findings list as the actor may see it, with what the page header and filter menus need. */
export async function browseFindings(deps: Deps, actor: Actor, filters: FindingFilters) {
  const scope = await scopeOf(deps.db, actor);
  const [page, counts, options, last] = await Promise.all([
    listFindings(deps.db, { scope, filters, now: deps.now() }),
    countFindingsByStatus(deps.db, { scope }),
    listFindingFilterOptions(deps.db, { scope }),
    lastRecompute(deps.db),
  ]);
  return {
    ...page,
    counts,
    options,
    lastRun: last ? { at: last.at, by: last.actorLabel, summary: last.after as RecomputeSummary | null } : null,
    mayRecompute: canRecomputeFindings(actor),
    schedule: env().ACCORD_FINDINGS_CRON === "0 * * * *" ? "every hour" : `on the schedule "${env().ACCORD_FINDINGS_CRON}" (UTC)`,
  };
}

/** One finding with its evidence, what was done about it, and what the actor may do now (and if not, why). */
export async function getFindingDetail(deps: Deps, actor: Actor, findingId: string) {
  if (!z.uuid().safeParse(findingId).success) throw new NotFound("That finding");
  if (!(await isFindingVisible(deps.db, { scope: await scopeOf(deps.db, actor), findingId }))) throw new NotFound("That finding");
  const row = await getFinding(deps.db, { findingId });
  if (!row) throw new NotFound("That finding");
  const [grants, revocations, last] = await Promise.all([listRevocableGrants(deps.db, { findingId }), listFindingRevocations(deps.db, { findingId }), lastRecompute(deps.db)]);
  const facts = { status: row.finding.status, ownerId: row.finding.ownerId, identityId: row.finding.identityId };
  return {
    ...row,
    // Every run confirms what is still open; a resolved finding was last seen when it was last written.
    lastConfirmedAt: row.finding.status === "resolved" ? row.finding.lastSeenAt : (last?.at ?? row.finding.lastSeenAt),
    accept: canAcceptFinding(actor, facts),
    grants: grants.map((g) => ({
      id: g.id,
      status: g.status,
      kind: g.kind,
      identityName: g.identity_name,
      entitlement: g.entitlement,
      application: g.application,
      may: canActOnFindingGrant(actor, facts, { identityId: g.identity_id, applicationOwnerIds: g.application_owner_ids, entitlementOwnerId: g.entitlement_owner_id }),
    })),
    revocations,
  };
}
