import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { copyClient } from "@/db/queries/imports";
import { copyRows } from "@/lib/demo/copy";
import type { ErrorCollector } from "./errors";
import { type ImportRow, sqlTypeOf } from "./fields";
import { type ImportFormat, type ImportKind, KINDS } from "./kinds";
import { type ParseState, readRecords } from "./parse";
import { validateRecord } from "./validate";

/**
 * The staging tables live only inside the import's transaction (ON COMMIT DROP), so a preview
 * leaves nothing behind and two imports on different connections never see each other's rows.
 */
export const STAGE = "import_stage";
const ROWS_PER_COPY = 5_000;

/**
 * Columns every kind's resolution fills in: the row's target and whether it changes. Every row
 * starts as a create with its id chosen already (so rows of the same file can reference it);
 * finding the row's record in the database turns it into an update.
 */
const RESOLVED = "target_id uuid not null default gen_random_uuid(), is_new boolean not null default true, changed boolean not null default false";

export async function createStage(tx: Tx, kind: ImportKind, extraColumns: string): Promise<void> {
  const columns = KINDS[kind].columns.map((c) => `${c.name} ${sqlTypeOf(c)}`).join(", ");
  await tx.execute(sql.raw(`create temp table ${STAGE} (row_no integer primary key, ${columns}, ${RESOLVED}${extraColumns ? `, ${extraColumns}` : ""}) on commit drop`));
  await tx.execute(sql.raw(`create temp table import_errors (row_no integer not null, col text not null, message text not null) on commit drop`));
}

export interface StageInput {
  kind: ImportKind;
  format: ImportFormat;
  content: Buffer;
}

/**
 * Parses, validates and COPYs the file into the staging table in chunks, so memory stays flat
 * whatever the row count. Returns the number of data rows read (valid or not).
 */
export async function stageFile(tx: Tx, input: StageInput, errors: ErrorCollector, state: ParseState, onProgress: (rows: number) => Promise<void>): Promise<number> {
  const client = copyClient(tx);
  const columns = ["row_no", ...KINDS[input.kind].columns.map((c) => c.name)];
  let chunk: ImportRow[] = [];
  let rows = 0;
  const flush = async () => {
    if (chunk.length) await copyRows(client, STAGE, columns, chunk);
    chunk = [];
    await onProgress(rows);
  };
  for await (const record of readRecords(input.content, input.format, input.kind, errors, state)) {
    rows++;
    const row = validateRecord(input.kind, record, errors);
    if (row) chunk.push({ ...row, row_no: record.row });
    if (chunk.length >= ROWS_PER_COPY) await flush();
  }
  await flush();
  // Without statistics the planner guesses a temp table is tiny and picks nested loops.
  await tx.execute(sql.raw(`analyze ${STAGE}`));
  return rows;
}

/** Problems found by set-based checks, at most `limit` of them (the total is counted too). */
export async function collectSqlErrors(tx: Tx, errors: ErrorCollector): Promise<void> {
  const room = Math.max(0, Math.min(errors.limit - errors.kept.length, 1_000_000));
  const [total] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from import_errors`);
  const rows = await tx.execute<{ row_no: number; col: string; message: string }>(sql`select row_no, col, message from import_errors order by row_no, col limit ${room}`);
  for (const r of rows) errors.add(r.row_no, r.col, r.message);
  // Errors beyond what was kept still count towards the total.
  errors.count += (total?.n ?? 0) - rows.length;
}
