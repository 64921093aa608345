import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Executor, Tx } from "@/db/client";
import { applications, identities, importBatches } from "@/db/schema";
import type { CopySql } from "@/lib/demo/copy";

/**
 * The postgres.js connection behind a drizzle transaction, for COPY (drizzle has no COPY).
 * It is the same connection, so rows copied here are inside the caller's transaction.
 */
export function copyClient(tx: Tx): CopySql {
  const client = (tx as unknown as { session?: { client?: CopySql } }).session?.client;
  if (!client) throw new Error("copyClient: not a postgres.js transaction");
  return client;
}

export type ImportBatchRow = typeof importBatches.$inferSelect;
export type ImportBatchErrors = NonNullable<ImportBatchRow["errors"]>;

/**
 * The file travels to and from PostgreSQL in pieces: postgres.js sends a bytea parameter as one
 * hex string, so a 50 MB file in one piece would briefly cost several hundred MB of memory.
 */
const FILE_PIECE_BYTES = 4 * 1024 * 1024;

/** Stores a batch and its file; the pieces are joined by the server in the same statement. */
export async function insertImportBatch(tx: Tx, values: Omit<typeof importBatches.$inferInsert, "content">, content: Buffer): Promise<string> {
  await tx.execute(sql`create temp table import_upload (n integer primary key, piece bytea not null) on commit drop`);
  for (let n = 0, offset = 0; offset < content.length; n++, offset += FILE_PIECE_BYTES) {
    await tx.execute(sql`insert into import_upload (n, piece) values (${n}, ${content.subarray(offset, offset + FILE_PIECE_BYTES)})`);
  }
  const [row] = await tx
    .insert(importBatches)
    .values({ ...values, content: sql`(select coalesce(string_agg(piece, ''::bytea order by n), ''::bytea) from import_upload)` })
    .returning({ id: importBatches.id });
  return row!.id;
}

/** Reads a batch's file back piece by piece into one buffer of the right size. */
export async function readImportBatchContent(db: Executor, args: { batchId: string }): Promise<Buffer | null> {
  const [size] = await db.execute<{ n: number }>(sql`select octet_length(content) as n from import_batches where id = ${args.batchId}`);
  if (!size) return null;
  const content = Buffer.allocUnsafe(size.n);
  for (let offset = 0; offset < size.n; offset += FILE_PIECE_BYTES) {
    const [piece] = await db.execute<{ piece: Buffer }>(sql`select substring(content from ${offset + 1} for ${FILE_PIECE_BYTES}) as piece from import_batches where id = ${args.batchId}`);
    piece!.piece.copy(content, offset);
  }
  return content;
}

/** What an import run needs, without the file (see readImportBatchContent). */
export async function getImportBatchForRun(db: Executor, args: { batchId: string }) {
  const [row] = await db
    .select({
      kind: importBatches.kind,
      format: importBatches.format,
      filename: importBatches.filename,
      sha256: importBatches.sha256,
      status: importBatches.status,
      summary: importBatches.summary,
      snapshotApplicationId: importBatches.snapshotApplicationId,
      createdById: importBatches.createdById,
    })
    .from(importBatches)
    .where(eq(importBatches.id, args.batchId));
  return row ?? null;
}

/** Everything a page shows about a batch, without the (possibly 50 MB) file. */
export async function getImportBatch(db: Executor, args: { batchId: string }) {
  const [row] = await db
    .select({
      id: importBatches.id,
      kind: importBatches.kind,
      format: importBatches.format,
      filename: importBatches.filename,
      sha256: importBatches.sha256,
      status: importBatches.status,
      totalRows: importBatches.totalRows,
      processedRows: importBatches.processedRows,
      summary: importBatches.summary,
      errors: importBatches.errors,
      errorCount: importBatches.errorCount,
      createdAt: importBatches.createdAt,
      appliedAt: importBatches.appliedAt,
      createdByName: identities.displayName,
      snapshotApplicationId: importBatches.snapshotApplicationId,
      snapshotApplicationName: applications.name,
    })
    .from(importBatches)
    .leftJoin(identities, eq(identities.id, importBatches.createdById))
    .leftJoin(applications, eq(applications.id, importBatches.snapshotApplicationId))
    .where(eq(importBatches.id, args.batchId));
  return row ?? null;
}

export async function getImportProgress(db: Executor, args: { batchId: string }) {
  const [row] = await db
    .select({ status: importBatches.status, processedRows: importBatches.processedRows, totalRows: importBatches.totalRows })
    .from(importBatches)
    .where(eq(importBatches.id, args.batchId));
  return row ?? null;
}

export async function listImportBatches(db: Executor, args: { limit: number }) {
  return db
    .select({
      id: importBatches.id,
      kind: importBatches.kind,
      filename: importBatches.filename,
      status: importBatches.status,
      totalRows: importBatches.totalRows,
      errorCount: importBatches.errorCount,
      createdAt: importBatches.createdAt,
      appliedAt: importBatches.appliedAt,
      createdByName: identities.displayName,
    })
    .from(importBatches)
    .leftJoin(identities, eq(identities.id, importBatches.createdById))
    .orderBy(desc(importBatches.createdAt), desc(importBatches.id))
    .limit(args.limit);
}

/** Takes a previewed batch for applying; false when someone else already did (or it is not ready). */
export async function claimImportBatch(db: Executor, args: { batchId: string; from: "previewed" | "uploaded"; at: Date }): Promise<boolean> {
  const rows = await db
    .update(importBatches)
    .set({ status: "applying", processedRows: 0, applyStartedAt: args.at })
    .where(and(eq(importBatches.id, args.batchId), eq(importBatches.status, args.from)))
    .returning({ id: importBatches.id });
  return rows.length === 1;
}

export async function setImportProgress(db: Executor, args: { batchId: string; processedRows: number }) {
  await db.update(importBatches).set({ processedRows: args.processedRows }).where(eq(importBatches.id, args.batchId));
}

export async function finishImportBatch(
  db: Executor,
  args: {
    batchId: string;
    status: "previewed" | "invalid" | "applied" | "failed";
    totalRows?: number;
    processedRows?: number;
    summary?: Record<string, unknown>;
    errors?: ImportBatchErrors;
    errorCount?: number;
    appliedAt?: Date;
    /** Applied and invalid batches are never read again: keep the hash, drop the bytes. */
    dropContent?: boolean;
  },
) {
  await db
    .update(importBatches)
    .set({
      status: args.status,
      totalRows: args.totalRows,
      processedRows: args.processedRows,
      summary: args.summary,
      errors: args.errors,
      errorCount: args.errorCount,
      appliedAt: args.appliedAt,
      content: args.dropContent ? Buffer.alloc(0) : undefined,
    })
    .where(eq(importBatches.id, args.batchId));
}

export async function findApplicationByName(db: Executor, args: { name: string }) {
  const [row] = await db.select({ id: applications.id, name: applications.name }).from(applications).where(eq(applications.name, args.name));
  return row ?? null;
}

export async function getApplicationName(db: Executor, args: { applicationId: string }) {
  const [row] = await db.select({ name: applications.name }).from(applications).where(eq(applications.id, args.applicationId));
  return row?.name ?? null;
}

/** For the snapshot picker; application names are short and an admin picks from all of them. */
export async function listApplicationChoices(db: Executor) {
  return db.select({ id: applications.id, name: applications.name }).from(applications).orderBy(asc(applications.name)).limit(5_000);
}

const applyLock = (batchId: string) => sql`hashtextextended(${`accord.import-apply:${batchId}`}, 0)`;

/**
 * Held by the transaction that applies a batch, from its start to its commit or rollback (also
 * when the server dies: PostgreSQL ends the transaction with the connection). Returns the batch's
 * status as seen once the lock is held: not "applying" means the sweep gave the batch up.
 */
export async function holdImportApply(tx: Tx, args: { batchId: string }): Promise<string | null> {
  await tx.execute(sql`select pg_advisory_xact_lock(${applyLock(args.batchId)})`);
  const [row] = await tx.select({ status: importBatches.status }).from(importBatches).where(eq(importBatches.id, args.batchId));
  return row?.status ?? null;
}

/** Batches claimed for applying before `claimedBefore` and still "applying" (batches claimed before the column existed count from their upload). */
export async function listLongApplyingImports(db: Executor, args: { claimedBefore: Date }) {
  return db
    .select({ id: importBatches.id, filename: importBatches.filename, summary: importBatches.summary, applyStartedAt: importBatches.applyStartedAt })
    .from(importBatches)
    .where(and(eq(importBatches.status, "applying"), sql`coalesce(${importBatches.applyStartedAt}, ${importBatches.createdAt}) < ${args.claimedBefore.toISOString()}::timestamptz`))
    .orderBy(asc(importBatches.createdAt))
    .limit(100);
}

/**
 * Marks an "applying" batch failed when no transaction is applying it (its lock is free, and
 * stays held by this transaction so an apply cannot start meanwhile). False when one is running
 * or the batch moved on.
 */
export async function failAbandonedImport(tx: Tx, args: { batchId: string; summary: Record<string, unknown> }): Promise<boolean> {
  const [lock] = await tx.execute<{ free: boolean }>(sql`select pg_try_advisory_xact_lock(${applyLock(args.batchId)}) as free`);
  if (!lock?.free) return false;
  // The bytes are dropped: a failed batch is never applied again (the admin uploads the file anew).
  const rows = await tx
    .update(importBatches)
    .set({ status: "failed", summary: args.summary, content: Buffer.alloc(0) })
    .where(and(eq(importBatches.id, args.batchId), eq(importBatches.status, "applying")))
    .returning({ id: importBatches.id });
  return rows.length === 1;
}

/** Serialises imports: two at once would race on the same natural keys. */
export async function lockImports(tx: Tx) {
  await tx.execute(sql`select pg_advisory_xact_lock(4202613)`);
}
