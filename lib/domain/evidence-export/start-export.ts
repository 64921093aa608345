import { z } from "zod";
import { auditEventBefore, firstAuditEventId, getCheckpoint } from "@/db/queries/audit";
import { countAuditSegment, countExportRows } from "@/db/queries/evidence-export";
import { EXPORT_TABLE_NAMES, type ExportScope } from "@/db/queries/evidence-export-tables";
import { getCampaignForExport, insertExportRecord, updateExportRecord } from "@/db/queries/export-records";
import type { Executor } from "@/db/client";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { mayExportEvidence } from "@/lib/domain/access/rules";
import { publishCheckpoint } from "@/lib/domain/audit/checkpoints";
import { GENESIS_HASH } from "@/lib/domain/audit/hash";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const day = z.preprocess(blankToUndefined, z.iso.date("must be a date, YYYY-MM-DD").optional());

export const exportRequestSchema = z
  .object({
    scope: z.enum(["campaign", "period"]),
    campaignId: z.preprocess(blankToUndefined, z.uuid("choose a campaign").optional()),
    /** First and last day of the period, inclusive, in UTC. */
    from: day,
    to: day,
    format: z.enum(["bundle", "csv", "json"]).default("bundle"),
    /** For a csv or json export: which table. */
    table: z.preprocess(blankToUndefined, z.enum(EXPORT_TABLE_NAMES).optional()),
    /** Reach the audit segment back to this published checkpoint, so its holder can check it. */
    sinceCheckpointId: z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional()),
  })
  .superRefine((v, ctx) => {
    if (v.scope === "campaign" && !v.campaignId) ctx.addIssue({ code: "custom", path: ["campaignId"], message: "Choose a campaign." });
    if (v.scope === "period") {
      if (!v.from) ctx.addIssue({ code: "custom", path: ["from"], message: "Choose the first day of the period." });
      if (!v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "Choose the last day of the period." });
      if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "The last day comes before the first." });
    }
    if (v.format !== "bundle" && !v.table) ctx.addIssue({ code: "custom", path: ["table"], message: "Choose which table to export." });
  });
export type ExportRequest = z.infer<typeof exportRequestSchema>;

const DAY = 86_400_000;

export interface ResolvedScope {
  scope: ExportScope;
  scopeText: string;
  /** Where the audit segment starts, before any earlier checkpoint pulls it back. */
  auditFrom: { from?: Date; entityType?: string; entityId?: string };
}

async function resolveScope(db: Executor, request: ExportRequest): Promise<ResolvedScope> {
  if (request.scope === "campaign") {
    const campaign = await getCampaignForExport(db, request.campaignId!);
    if (!campaign) throw new NotFound("That campaign");
    return {
      scope: { kind: "campaign", campaignId: campaign.id },
      scopeText: `campaign "${campaign.name}"`,
      auditFrom: { entityType: "campaign", entityId: campaign.id, from: campaign.createdAt },
    };
  }
  const from = new Date(`${request.from!}T00:00:00.000Z`);
  const to = new Date(new Date(`${request.to!}T00:00:00.000Z`).getTime() + DAY);
  return { scope: { kind: "period", from, to }, scopeText: `review items from ${request.from} to ${request.to} (UTC)`, auditFrom: { from } };
}

/** The counts an auditor sees before exporting: rows per table and the audit events the segment would hold. */
export async function previewExport(deps: Deps, actor: Actor, request: ExportRequest) {
  if (!mayExportEvidence(actor)) throw new Forbidden("Only auditors and admins export evidence.");
  const resolved = await resolveScope(deps.db, request);
  const rows = await countExportRows(deps.db, resolved.scope);
  const start = await segmentStart(deps.db, resolved, request.sinceCheckpointId);
  const auditEvents = start === null ? 0 : await countAuditSegment(deps.db, { fromId: start, toId: Number.MAX_SAFE_INTEGER });
  return { scopeText: resolved.scopeText, rows: { ...rows, audit_events: auditEvents } };
}

async function segmentStart(db: Executor, resolved: ResolvedScope, sinceCheckpointId: number | undefined): Promise<number | null> {
  let start = await firstAuditEventId(db, resolved.auditFrom);
  if (sinceCheckpointId !== undefined) {
    const checkpoint = await getCheckpoint(db, sinceCheckpointId);
    if (!checkpoint) throw new Invalid("That checkpoint was not published by this Accord.", { sinceCheckpointId: ["unknown checkpoint"] });
    start = start === null ? checkpoint.headId + 1 : Math.min(start, checkpoint.headId + 1);
  }
  return start;
}

/**
 * Starts an export: records who asked for what (an audit event, so the export itself is in the
 * trail), publishes a signed checkpoint of the trail's head including that event, and fixes the
 * audit segment the bundle will carry. The download then streams it once (openExport).
 */
export async function startExport(deps: Deps, actor: Actor, request: ExportRequest) {
  if (!mayExportEvidence(actor)) throw new Forbidden("Only auditors and admins export evidence.");
  const started = await deps.db.transaction(async (tx) => {
    const at = deps.now();
    const resolved = await resolveScope(tx, request);
    const counts = await countExportRows(tx, resolved.scope);
    const start = await segmentStart(tx, resolved, request.sinceCheckpointId);
    const record = await insertExportRecord(tx, {
      requestedById: actor.id,
      scope: { ...serializeScope(resolved.scope), text: resolved.scopeText },
      format: request.format,
      tableName: request.format === "bundle" ? null : request.table!,
      sinceCheckpointId: request.sinceCheckpointId ?? null,
      createdAt: at,
    });
    const event = await recordAudit(tx, {
      actor: auditActor(actor),
      action: "evidence.exported",
      entityType: "evidence_export",
      entityId: record.id,
      after: { scope: serializeScope(resolved.scope), format: request.format, table: request.table ?? null, sinceCheckpointId: request.sinceCheckpointId ?? null, rows: counts },
      at,
    });
    // Writers of the trail wait for this transaction (the chain lock), so the head is this export's event.
    const { row: checkpoint } = await publishCheckpoint(deps, "export", tx);
    const fromId = Math.min(start ?? event.id, event.id);
    const previous = await auditEventBefore(tx, fromId);
    const segment = { fromId, toId: checkpoint.headId, previousId: previous?.id ?? null, previousHash: previous?.hash ?? GENESIS_HASH };
    await updateExportRecord(tx, record.id, { checkpointId: checkpoint.id, scope: { ...serializeScope(resolved.scope), text: resolved.scopeText, segment } });
    return { exportId: record.id, checkpointId: checkpoint.id, counts, segment };
  });
  // Counted after the commit: the transaction above holds the audit chain's lock, and every writer waits for it.
  const auditRows = await countAuditSegment(deps.db, started.segment);
  const itemRows = Object.values(started.counts).reduce((a, b) => a + b, 0);
  const rowsExpected = request.format === "bundle" ? 2 * (itemRows + auditRows) : request.table === "audit_events" ? auditRows : (started.counts[request.table!] ?? 0);
  await updateExportRecord(deps.db, started.exportId, { rowsExpected });
  return { exportId: started.exportId, rowsExpected, checkpointId: started.checkpointId, downloadUrl: `/api/evidence/exports/${started.exportId}/download` };
}

export function serializeScope(scope: ExportScope): Record<string, string> {
  return scope.kind === "campaign" ? { kind: "campaign", campaignId: scope.campaignId } : { kind: "period", from: scope.from.toISOString(), to: scope.to.toISOString() };
}

export function parseStoredScope(stored: Record<string, unknown>): ExportScope {
  return stored.kind === "campaign" ? { kind: "campaign", campaignId: String(stored.campaignId) } : { kind: "period", from: new Date(String(stored.from)), to: new Date(String(stored.to)) };
}
