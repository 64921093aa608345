import { z } from "zod";
import { getImportBatch, getImportProgress, listApplicationChoices, listImportBatches } from "@/db/queries/imports";
import type { Actor } from "@/lib/domain/access/actor";
import type { Deps } from "@/lib/domain/deps";
import { NotFound } from "@/lib/errors";
import { adminPrincipal, applyClaimedBatch, claimForApply, createImportBatch, type ImportPrincipal, previewImportBatch, type UploadInput } from "./batches";
import type { RowError } from "./errors";
import type { ImportOutcome, ImportSummary } from "./run-import";

/** What the import pages and routes call: every function checks that the actor may administer. */

export async function uploadImport(deps: Deps, actor: Actor, input: UploadInput & { content: Buffer }): Promise<{ batchId: string; outcome: ImportOutcome }> {
  const principal = adminPrincipal(actor);
  const batchId = await createImportBatch(deps, principal, input);
  return { batchId, outcome: await previewImportBatch(deps, batchId) };
}

export const applyInput = z.object({ batchId: z.uuid() });

/**
 * Claims the batch now (so the answer says at once whether it will run) and returns the work
 * itself, which the caller runs after responding; the page polls the batch's progress.
 */
export async function startImportApply(deps: Deps, actor: Actor, input: z.infer<typeof applyInput>): Promise<{ batchId: string; run: () => Promise<ImportOutcome> }> {
  const principal: ImportPrincipal = adminPrincipal(actor);
  await claimForApply(deps, input.batchId);
  return { batchId: input.batchId, run: () => applyClaimedBatch(deps, principal, input.batchId) };
}

export async function importOverview(deps: Deps, actor: Actor) {
  adminPrincipal(actor);
  const [batches, applications] = await Promise.all([listImportBatches(deps.db, { limit: 20 }), listApplicationChoices(deps.db)]);
  return { batches, applications };
}

/** The page shows the first 200 errors; the batch keeps up to 1,000 and counts them all. */
export const ERRORS_SHOWN = 200;

export async function viewImportBatch(deps: Deps, actor: Actor, batchId: string) {
  adminPrincipal(actor);
  if (!z.uuid().safeParse(batchId).success) throw new NotFound("That import");
  const batch = await getImportBatch(deps.db, { batchId });
  if (!batch) throw new NotFound("That import");
  const summary = (batch.summary ?? {}) as Partial<ImportSummary> & { uploadedBy?: string; appliedBy?: string; failure?: string };
  const errors = ((batch.errors ?? []) as RowError[]).slice(0, ERRORS_SHOWN);
  return { ...batch, summary, errors };
}

export async function importProgress(deps: Deps, actor: Actor, batchId: string) {
  adminPrincipal(actor);
  if (!z.uuid().safeParse(batchId).success) throw new NotFound("That import");
  const progress = await getImportProgress(deps.db, { batchId });
  if (!progress) throw new NotFound("That import");
  return progress;
}
