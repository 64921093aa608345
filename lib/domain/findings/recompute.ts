import { sql } from "drizzle-orm";
import { countCandidatesByKind, lastRecompute, mergeCandidates } from "@/db/queries/findings";
import { createCandidateTable, fillOwners, stage, type DetectionParams } from "@/db/queries/finding-detection";
import { detectors } from "@/db/queries/finding-detectors";
import { Conflict, Forbidden } from "@/lib/errors";
import { env } from "@/lib/env";
import { auditActor, SYSTEM_ACTOR, type Actor } from "@/lib/domain/access/actor";
import { canRecomputeFindings } from "@/lib/domain/access/finding-rules";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { publishEvents } from "@/lib/domain/webhooks/publish";

export interface FindingSettings {
  unusedDays: number;
  evidenceDays: number;
}

export function findingSettings(): FindingSettings {
  return { unusedDays: env().ACCORD_UNUSED_PRIVILEGE_DAYS, evidenceDays: env().ACCORD_FINDINGS_EVIDENCE_DAYS };
}

export interface RecomputeSummary {
  at: string;
  durationMs: number;
  /** Conditions found, by kind (open, accepted and new alike). */
  found: Record<string, number>;
  opened: number;
  reopened: number;
  /** Findings still open whose reason, evidence, severity or owner changed (rewritten). */
  changed: number;
  resolved: number;
  webhookDeliveries: number;
  settings: FindingSettings;
  /** Milliseconds each detector took, for the benchmark and for anyone wondering where the time goes. */
  timings: Record<string, number>;
}

// One recompute at a time across every app instance; a second caller is told, not queued.
const RECOMPUTE_LOCK = 4_202_613;

/**
 * Computes every drift finding from the database and folds the result into the findings table
 * in one transaction: new conditions open findings (announced as `finding.opened` webhooks),
 * vanished ones resolve, returning ones re-open, expired exceptions re-open. The whole run is
 * audited as one summary event. `by` is the admin who asked, or "system" for the scheduled job.
 */
export async function recomputeFindings(deps: Deps, by: Actor | "system", settings: FindingSettings = findingSettings()): Promise<RecomputeSummary> {
  if (by !== "system" && !canRecomputeFindings(by)) throw new Forbidden("Only admins can recompute findings.");
  const started = performance.now();
  const now = deps.now();
  const params: DetectionParams = { now, ...settings };
  return deps.db.transaction(async (tx) => {
    const [lock] = await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(${RECOMPUTE_LOCK}) as ok`);
    if (!lock?.ok) throw new Conflict("Findings are being recomputed right now; the results will be here in a moment.");
    // Detection joins millions of rows by hash; give those joins memory instead of spilling to disk.
    await tx.execute(sql`set local work_mem = '256MB'`);
    // The planner's estimates for these joins are pessimistic enough to trigger JIT compilation,
    // which cost one to two seconds per statement at 100,000 identities and saved nothing.
    await tx.execute(sql`set local jit = off`);
    await createCandidateTable(tx);
    const timings: Record<string, number> = {};
    for (const [index, { kind, statement }] of detectors(params).entries()) {
      const t0 = performance.now();
      for (const step of stage(index, statement)) await tx.execute(step);
      timings[kind] = Math.round(performance.now() - t0);
    }
    let t1 = performance.now();
    await fillOwners(tx);
    await tx.execute(sql`analyze finding_candidates`);
    const found = await countCandidatesByKind(tx);
    timings.owners = Math.round(performance.now() - t1);
    t1 = performance.now();
    const previous = await lastRecompute(tx);
    const merged = await mergeCandidates(tx, { now, previousRunAt: previous?.at ?? null });
    timings.merge = Math.round(performance.now() - t1);

    const newlyOpen = [...merged.opened.map((f) => ({ ...f, reopened: false })), ...merged.reopened.map((f) => ({ ...f, reopened: true }))];
    const webhookDeliveries = await publishEvents(deps, tx, {
      type: "finding.opened",
      at: now,
      items: newlyOpen.map((f) => ({
        findingId: f.id,
        kind: f.kind,
        severity: f.severity,
        reason: f.reason,
        identityId: f.identity_id,
        applicationId: f.application_id,
        grantId: f.grant_id,
        ownerId: f.owner_id,
        reopened: f.reopened,
      })),
    });
    const summary: RecomputeSummary = {
      at: now.toISOString(),
      durationMs: Math.round(performance.now() - started),
      found,
      opened: merged.opened.length,
      reopened: merged.reopened.length,
      changed: merged.changed - merged.reopened.length,
      resolved: merged.resolved,
      webhookDeliveries,
      settings,
      timings,
    };
    await recordAudit(tx, {
      actor: by === "system" ? SYSTEM_ACTOR : auditActor(by),
      action: "findings.recomputed",
      entityType: "findings",
      entityId: "recompute",
      after: summary,
      at: now,
    });
    return summary;
  });
}
