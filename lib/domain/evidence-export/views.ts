import { getCheckpoint, latestCheckpoint, listCheckpoints } from "@/db/queries/audit";
import { getExportRecord, listExportableCampaigns, listExportRecords } from "@/db/queries/export-records";
import { NotFound } from "@/lib/errors";
import type { Actor } from "@/lib/domain/access/actor";
import { checkpointDocument, publishCheckpoint } from "@/lib/domain/audit/checkpoints";
import type { Checkpoint } from "@/lib/domain/audit/checkpoint-format";
import { checkpointSigningKey } from "@/lib/domain/audit/signing-key";
import type { Deps } from "@/lib/domain/deps";
import { EXPORT_TABLE_NAMES } from "@/db/queries/evidence-export-tables";
import { mayExportEvidence } from "@/lib/domain/access/rules";

/** The evidence page: campaigns to export, recent exports with who ran them, published checkpoints. */
export async function evidencePage(deps: Deps, actor: Actor) {
  if (!mayExportEvidence(actor)) throw new NotFound("That page");
  const [campaigns, exports, checkpoints] = await Promise.all([listExportableCampaigns(deps.db), listExportRecords(deps.db, { limit: 20 }), listCheckpoints(deps.db, { limit: 10 })]);
  return { campaigns, exports, checkpoints, tables: EXPORT_TABLE_NAMES };
}

/** An export's progress, for the browser's progress bar; any auditor or admin may watch. */
export async function exportStatus(deps: Deps, actor: Actor, exportId: string) {
  if (!mayExportEvidence(actor)) throw new NotFound("That export");
  const record = await getExportRecord(deps.db, exportId);
  if (!record) throw new NotFound("That export");
  return {
    id: record.id,
    status: record.status,
    format: record.format,
    rowsExpected: record.rowsExpected,
    rowsWritten: record.rowsWritten,
    bytesWritten: record.bytesWritten,
    sha256: record.sha256,
    error: record.error,
    finishedAt: record.finishedAt?.toISOString() ?? null,
  };
}

/**
 * A published checkpoint as the signed JSON an auditor keeps ("latest" publishes one first when
 * none exists yet). Auditors and admins only: it states how long the trail is.
 */
export async function checkpointForDownload(deps: Deps, actor: Actor, ref: "latest" | number): Promise<Checkpoint> {
  if (!mayExportEvidence(actor)) throw new NotFound("That checkpoint");
  const row = ref === "latest" ? ((await latestCheckpoint(deps.db)) ?? (await publishCheckpoint(deps, "manual")).row) : await getCheckpoint(deps.db, ref);
  if (!row) throw new NotFound("That checkpoint");
  return checkpointDocument(row);
}

/** Accord's checkpoint-signing public key (PEM): public, so anyone can check what Accord signed. */
export async function checkpointPublicKey(deps: Deps): Promise<{ pem: string; keyId: string }> {
  const key = await checkpointSigningKey(deps.db);
  return { pem: key.publicKey.export({ type: "spki", format: "pem" }).toString(), keyId: key.keyId };
}
