import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/db/client";
import {
  claimImportBatch as claimBatch,
  finishImportBatch,
  getApplicationName,
  getImportBatchForRun,
  holdImportApply,
  insertImportBatch,
  readImportBatchContent,
  lockImports,
  setImportProgress,
} from "@/db/queries/imports";
import { auditActor, type Actor } from "@/lib/domain/access/actor";
import { mayAdminister } from "@/lib/domain/access/rules";
import { type AuditActor, recordAudit } from "@/lib/domain/audit/record-audit";
import type { Deps } from "@/lib/domain/deps";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { IMPORT_FORMATS, IMPORT_KINDS, type ImportFormat, type ImportKind, MAX_IMPORT_BYTES } from "./kinds";
import { type ImportOutcome, runImport } from "./run-import";

/** Who runs an import: an admin from the web, or the command line (which has the database anyway). */
export interface ImportPrincipal {
  audit: AuditActor;
  identityId: string | null;
}

export function adminPrincipal(actor: Actor): ImportPrincipal {
  if (!mayAdminister(actor)) throw new Forbidden("Only admins can import.");
  return { audit: auditActor(actor), identityId: actor.id };
}

export const cliPrincipal = (user: string): ImportPrincipal => ({ audit: { kind: "system", id: null, label: `cli:${user}` }, identityId: null });

/** Errors kept on the batch row (the page shows the first 200); all of them are counted. */
export const STORED_ERROR_LIMIT = 1_000;

export const uploadInput = z.object({
  kind: z.enum(IMPORT_KINDS, { error: `Choose what the file holds: ${IMPORT_KINDS.join(", ")}.` }),
  format: z.enum(IMPORT_FORMATS).optional(),
  snapshotApplicationId: z.uuid().optional(),
  filename: z.string().trim().min(1).max(255),
});
export type UploadInput = z.infer<typeof uploadInput>;

/** The format the user chose, or the one the file name says. */
export function formatOf(filename: string, chosen?: ImportFormat): ImportFormat {
  if (chosen) return chosen;
  return /\.(json|jsonl|ndjson)$/i.test(filename) ? "json" : "csv";
}

/** Stores the uploaded file as a batch, after the checks that need no parsing. */
export async function createImportBatch(deps: Deps, principal: ImportPrincipal, input: UploadInput & { content: Buffer }): Promise<string> {
  if (input.content.length > MAX_IMPORT_BYTES) {
    throw new Invalid(`The file is larger than ${MAX_IMPORT_BYTES / 2 ** 20} MB, the import limit. Split it into several files.`);
  }
  if (input.snapshotApplicationId) {
    if (input.kind !== "grants") throw new Invalid("Only a grants file can be a snapshot of an application.");
    if (!(await getApplicationName(deps.db, { applicationId: input.snapshotApplicationId }))) throw new Invalid("The snapshot application does not exist.");
  }
  const values = {
    kind: input.kind,
    format: formatOf(input.filename, input.format),
    filename: input.filename,
    sha256: createHash("sha256").update(input.content).digest("hex"),
    snapshotApplicationId: input.snapshotApplicationId ?? null,
    createdById: principal.identityId,
    summary: { uploadedBy: principal.audit.label },
  };
  return deps.db.transaction((tx) => insertImportBatch(tx, values, input.content));
}

async function loadJob(db: Db, batchId: string, content?: Buffer) {
  const batch = await getImportBatchForRun(db, { batchId });
  if (!batch) throw new NotFound("That import");
  const file = content ?? (await readImportBatchContent(db, { batchId }));
  if (!file) throw new NotFound("That import");
  const job = { kind: batch.kind as ImportKind, format: batch.format as ImportFormat, content: file, snapshotApplicationId: batch.snapshotApplicationId };
  return { batch, job };
}

interface RunHooks {
  errorLimit?: number;
  /** The file, when the caller still holds it: saves reading it back from the batch row. */
  content?: Buffer;
  onProgress?: (rows: number) => void;
}

const summaryOf = (outcome: ImportOutcome, uploadedBy: unknown, extra: Record<string, unknown> = {}) => (outcome.ok ? { ...outcome.summary, uploadedBy, ...extra } : { uploadedBy, ...extra });

/** Checks the whole file and computes what it would change, writing nothing but the batch's status. */
export async function previewImportBatch(deps: Deps, batchId: string, hooks: RunHooks = {}): Promise<ImportOutcome> {
  const { batch, job } = await loadJob(deps.db, batchId, hooks.content);
  if (batch.status !== "uploaded") throw new Conflict("This import has already been checked.");
  let outcome: ImportOutcome;
  try {
    outcome = await deps.db.transaction((tx) =>
      runImport(tx, job, {
        mode: "preview",
        now: deps.now(),
        actorIdentityId: batch.createdById,
        errorLimit: hooks.errorLimit ?? STORED_ERROR_LIMIT,
        onProgress: async (rows) => hooks.onProgress?.(rows),
      }),
    );
  } catch (error) {
    await finishImportBatch(deps.db, { batchId, status: "failed", summary: { ...batch.summary, failure: (error as Error).message }, dropContent: true });
    throw error;
  }
  await finishImportBatch(deps.db, {
    batchId,
    status: outcome.ok ? "previewed" : "invalid",
    totalRows: outcome.rows,
    summary: summaryOf(outcome, batch.summary?.uploadedBy),
    errors: outcome.ok ? [] : outcome.errors.slice(0, STORED_ERROR_LIMIT),
    errorCount: outcome.ok ? 0 : outcome.errorCount,
    dropContent: !outcome.ok,
  });
  return outcome;
}

/** Takes a previewed batch for applying, so a double click or a second admin cannot apply it twice. */
export async function claimForApply(deps: Deps, batchId: string, from: "previewed" | "uploaded" = "previewed"): Promise<void> {
  if (!(await claimBatch(deps.db, { batchId, from, at: deps.now() }))) throw new Conflict("This import is not waiting to be applied (it may be running or done already).");
}

/** The sweep marked the batch failed before its apply began (see sweepStuckImports): it must not run. */
class ImportGivenUp extends Error {
  constructor() {
    super("This import was given up (the server stopped while applying it); upload the file again.");
  }
}

/**
 * Applies a claimed batch in one transaction: the file is checked again (the database may have
 * changed since the preview), then written, audited once, and the batch marked applied. Progress
 * goes to the batch row over another connection, so a page can poll it while this runs.
 */
export async function applyClaimedBatch(deps: Deps, principal: ImportPrincipal, batchId: string, hooks: RunHooks = {}): Promise<ImportOutcome> {
  const { batch, job } = await loadJob(deps.db, batchId, hooks.content);
  const now = deps.now();
  const onProgress = async (rows: number) => {
    hooks.onProgress?.(rows);
    await setImportProgress(deps.db, { batchId, processedRows: rows });
  };
  try {
    const outcome = await deps.db.transaction(async (tx) => {
      // Taken first, so the stuck-import sweep sees this batch as running even while it waits for another import.
      if ((await holdImportApply(tx, { batchId })) !== "applying") throw new ImportGivenUp();
      await lockImports(tx);
      const result = await runImport(tx, job, { mode: "apply", now, actorIdentityId: principal.identityId, errorLimit: hooks.errorLimit ?? STORED_ERROR_LIMIT, onProgress });
      if (!result.ok) {
        // Recorded under the apply lock: once it is released, the batch is no longer "applying".
        await finishImportBatch(tx, {
          batchId,
          status: "invalid",
          totalRows: result.rows,
          errors: result.errors.slice(0, STORED_ERROR_LIMIT),
          errorCount: result.errorCount,
          dropContent: true,
        });
        return result;
      }
      const after = { ...result.summary, filename: batch.filename, sha256: batch.sha256 };
      await recordAudit(tx, { actor: principal.audit, action: "import.applied", entityType: "import_batch", entityId: batchId, after, at: now });
      await finishImportBatch(tx, {
        batchId,
        status: "applied",
        totalRows: result.rows,
        processedRows: result.rows,
        summary: summaryOf(result, batch.summary?.uploadedBy, { appliedBy: principal.audit.label }),
        appliedAt: now,
        dropContent: true,
      });
      return result;
    });
    return outcome;
  } catch (error) {
    if (error instanceof ImportGivenUp) throw new Conflict(error.message);
    // The transaction rolled back: nothing was imported. Say so on the batch, then let it surface.
    await finishImportBatch(deps.db, { batchId, status: "failed", summary: { ...batch.summary, failure: (error as Error).message } });
    throw error;
  }
}

/**
 * The whole import in one call, as the command line and tests run it. A dry run is a preview;
 * otherwise the file is applied straight away, which checks every row before the first write
 * anyway, so the file is read once rather than twice.
 */
export async function importFile(
  deps: Deps,
  principal: ImportPrincipal,
  input: UploadInput & { content: Buffer },
  options: RunHooks & { dryRun?: boolean } = {},
): Promise<{ batchId: string; outcome: ImportOutcome; applied: boolean }> {
  const batchId = await createImportBatch(deps, principal, input);
  const hooks = { ...options, content: input.content };
  if (options.dryRun) return { batchId, outcome: await previewImportBatch(deps, batchId, hooks), applied: false };
  await claimForApply(deps, batchId, "uploaded");
  const outcome = await applyClaimedBatch(deps, principal, batchId, hooks);
  return { batchId, outcome, applied: outcome.ok };
}
