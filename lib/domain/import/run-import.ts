import type { Tx } from "@/db/client";
import { ErrorCollector, FILE_COLUMN, type RowError } from "./errors";
import { KIND_SQL } from "./kind-sql";
import { type ImportFormat, type ImportKind, KINDS } from "./kinds";
import { applySnapshot, type SnapshotSummary, snapshotCounts } from "./snapshot";
import { type EntityCount, type ImportContext, run } from "./sql";
import { collectSqlErrors, createStage, STAGE, stageFile } from "./stage";

export interface ImportSummary {
  kind: ImportKind;
  rows: number;
  counts: EntityCount[];
  snapshot: SnapshotSummary | null;
}

export type ImportOutcome = { ok: true; rows: number; summary: ImportSummary } | { ok: false; rows: number; errors: RowError[]; errorCount: number };

export interface ImportJob {
  kind: ImportKind;
  format: ImportFormat;
  content: Buffer;
  snapshotApplicationId: string | null;
}

export interface RunOptions {
  actorIdentityId: string | null;
  /** preview: validate, resolve and count, writing nothing; apply: the same, then write. */
  mode: "preview" | "apply";
  now: Date;
  /** How many errors to keep (all are counted). */
  errorLimit: number;
  onProgress?: (rows: number) => Promise<void>;
}

/**
 * Everything an import does, inside the caller's transaction: stream the file into a staging
 * table, check every row and every reference, and only if nothing is wrong compute the diff
 * and (when applying) write it. Validation finishes before the first write, and the caller's
 * single transaction makes the writes all-or-nothing.
 */
export async function runImport(tx: Tx, job: ImportJob, options: RunOptions): Promise<ImportOutcome> {
  const kindSql = KIND_SQL[job.kind];
  const errors = new ErrorCollector(options.errorLimit);
  const state = { present: new Set<string>() };
  await createStage(tx, job.kind, kindSql.extraColumns);
  const rows = await stageFile(tx, job, errors, state, options.onProgress ?? (async () => {}));
  const ctx: ImportContext = { present: state.present, now: options.now, snapshotApplicationId: job.snapshotApplicationId, actorIdentityId: options.actorIdentityId };

  // Header problems leave nothing to resolve; otherwise references are checked too, so one
  // upload lists every problem rather than one kind at a time.
  if (state.present.size > 0) {
    await kindSql.resolve(tx, ctx);
    await collectSqlErrors(tx, errors);
  }
  // A snapshot with no rows is meaningful (the application holds nothing); any other empty file is a mistake.
  if (rows === 0 && errors.count === 0 && !job.snapshotApplicationId) {
    errors.add(2, FILE_COLUMN, `The file has no ${KINDS[job.kind].noun} rows, only a header.`);
  }
  if (errors.count > 0) return { ok: false, rows, errors: errors.sorted(), errorCount: errors.count };

  await run(tx, `create index on ${STAGE} (target_id)`);
  const counts = await kindSql.plan(tx, ctx);
  // Counted before writing: "newly absent" compares with the state the file is about to change.
  const snapshot = job.snapshotApplicationId ? await snapshotCounts(tx, job.snapshotApplicationId) : null;
  if (options.mode === "apply") {
    await kindSql.apply(tx, ctx);
    if (job.snapshotApplicationId) await applySnapshot(tx, job.snapshotApplicationId, options.now);
  }
  return { ok: true, rows, summary: { kind: job.kind, rows, counts, snapshot } };
}
