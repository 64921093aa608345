import { PassThrough, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { getCheckpoint } from "@/db/queries/audit";
import { auditSegmentQuery, campaignCompleteness, exportRows, itemTableQuery, type RawQuery, type RowShape } from "@/db/queries/evidence-export";
import { AUDIT_TABLE, ITEM_TABLES } from "@/db/queries/evidence-export-tables";
import { claimExportRecord, getExportRecord, updateExportRecord } from "@/db/queries/export-records";
import type { EvidenceExport } from "@/db/schema";
import { Conflict, NotFound } from "@/lib/errors";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { checkpointDocument } from "@/lib/domain/audit/checkpoints";
import { recordAudit } from "@/lib/domain/audit/record-audit";
import { checkpointSigningKey } from "@/lib/domain/audit/signing-key";
import type { Deps } from "@/lib/domain/deps";
import { evidenceBundle, type Segment } from "./bundle";
import { keyFigures } from "./key-figures";
import { loadControlMapping } from "./control-mapping";
import { mayExportEvidence } from "@/lib/domain/access/rules";
import { parseStoredScope } from "./start-export";
import { csvChunks, digesting, jsonChunks, newDigest } from "./writers";

export interface ExportDownload {
  filename: string;
  contentType: string;
  body: Readable;
  /** Settles when the stream has ended and the export's record says so (completed or failed). */
  done: Promise<"completed" | "failed">;
}

const PROGRESS_EVERY_MS = 1_000;

function filenameOf(record: EvidenceExport, scope: Record<string, unknown>): string {
  const stamp = record.createdAt.toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  const what = scope.kind === "campaign" ? `campaign-${String(scope.campaignId).slice(0, 8)}` : `${String(scope.from).slice(0, 10)}_${String(scope.to).slice(0, 10)}`;
  // ASCII only, from ids and dates: nothing a person typed reaches the header.
  return record.format === "bundle" ? `accord-evidence-${what}-${stamp}.zip` : `accord-${record.tableName}-${what}-${stamp}.${record.format}`;
}

/**
 * Streams an export its requester started (startExport), once: the bundle or one table, from
 * one read-only REPEATABLE READ snapshot so every file agrees with every other, through COPY
 * streams read only as fast as the download takes them, so memory stays flat. Progress is
 * written to the export's record every second for the browser to show; at the end the record
 * and the audit trail get the SHA-256 of what was sent.
 */
export async function openExport(deps: Deps, actor: Actor, input: { exportId: string }): Promise<ExportDownload> {
  if (!mayExportEvidence(actor)) throw new NotFound("That export");
  const record = await claimExportRecord(deps.db, { id: input.exportId, requestedById: actor.id, at: deps.now() });
  if (!record) {
    const existing = await getExportRecord(deps.db, input.exportId);
    if (!existing || existing.requestedById !== actor.id) throw new NotFound("That export");
    throw new Conflict("This export has already been downloaded. Start a new export to download it again.");
  }
  const stored = record.scope as Record<string, unknown> & { segment: Segment; text: string };
  const out = new PassThrough();
  const digest = newDigest();
  let rows = 0;
  let lastFlush = 0;
  let flushing: Promise<void> = Promise.resolve();
  const onRows = (n: number) => {
    rows += n;
    const now = Date.now();
    if (now - lastFlush < PROGRESS_EVERY_MS) return;
    lastFlush = now;
    const snapshot = { rowsWritten: rows, bytesWritten: digest.bytes };
    flushing = flushing.then(() => updateExportRecord(deps.db, record.id, snapshot)).catch(() => undefined);
  };

  const produce = async () => {
    // Loaded before the snapshot: the key and the mapping file are not database state of the export.
    const [signingKey, mapping, checkpointRow] = await Promise.all([checkpointSigningKey(deps.db), loadControlMapping(), getCheckpoint(deps.db, record.checkpointId!)]);
    await deps.db.transaction(
      async (tx) => {
        const scope = parseStoredScope(stored);
        const rowsOf = (query: RawQuery, shape: RowShape) => exportRows(tx, query, shape);
        let body: AsyncIterable<Buffer>;
        if (record.format === "bundle") {
          // The dashboard's metric functions read through deps.db: given the export's transaction, they read its snapshot.
          const inSnapshot: Deps = { ...deps, db: tx as unknown as Deps["db"] };
          const [completeness, figures] = await Promise.all([campaignCompleteness(tx, scope), keyFigures(inSnapshot, actor, scope)]);
          body = evidenceBundle({
            exportId: record.id,
            createdAt: record.createdAt,
            createdBy: { id: actor.id, label: auditActor(actor).label },
            origin: checkpointRow!.origin,
            scope,
            scopeText: stored.text,
            segment: stored.segment,
            checkpoint: checkpointDocument(checkpointRow!),
            signingKey,
            completeness,
            figures,
            mapping,
            rows: rowsOf,
            onRows,
          });
        } else {
          const audit = record.tableName === "audit_events";
          const table = ITEM_TABLES.find((t) => t.name === record.tableName);
          const shape = record.format === "csv" ? "csv" : "json";
          const query = audit ? auditSegmentQuery(stored.segment, shape) : itemTableQuery(table!, scope, shape);
          body = shape === "csv" ? csvChunks(audit ? AUDIT_TABLE.columns : table!.columns, rowsOf(query, shape), onRows) : jsonChunks(rowsOf(query, shape), onRows);
        }
        await pipeline(Readable.from(digesting(body, digest)), out);
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
  };

  const done = produce().then(
    async () => {
      await flushing;
      const sha256 = digest.hash.digest("hex");
      await deps.db.transaction(async (tx) => {
        const at = deps.now();
        await updateExportRecord(tx, record.id, { status: "completed", rowsWritten: rows, bytesWritten: digest.bytes, sha256, finishedAt: at });
        await recordAudit(tx, { actor: auditActor(actor), action: "evidence.export_completed", entityType: "evidence_export", entityId: record.id, after: { sha256, bytes: digest.bytes, rows }, at });
      });
      return "completed" as const;
    },
    async (error: unknown) => {
      // The reader went away (the browser closed the download) before or while we wrote.
      const interrupted = out.destroyed || (error as NodeJS.ErrnoException)?.code === "ERR_STREAM_PREMATURE_CLOSE";
      if (!out.destroyed) out.destroy(error instanceof Error ? error : new Error(String(error)));
      await flushing;
      const message = interrupted ? "The download was interrupted." : "The export failed; nothing more was sent.";
      if (!interrupted) console.error("[evidence export]", record.id, error);
      await updateExportRecord(deps.db, record.id, { status: "failed", rowsWritten: rows, bytesWritten: digest.bytes, error: message, finishedAt: deps.now() }).catch(() => undefined);
      return "failed" as const;
    },
  );
  return {
    filename: filenameOf(record, stored),
    contentType: record.format === "bundle" ? "application/zip" : record.format === "csv" ? "text/csv; charset=utf-8" : "application/json",
    body: out,
    done,
  };
}
