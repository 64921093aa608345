/**
 * Bulk loading with PostgreSQL COPY ... FROM STDIN (text format) through postgres.js. Rows are
 * pulled from the iterator only as fast as the server takes them (stream backpressure), so a
 * table of any size is written with flat memory.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";

/** A postgres.js client or transaction: anything that can run a tagged query. */
export type CopySql = postgres.ISql<{}> | postgres.TransactionSql<{}> | postgres.Sql<{}>;

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** Escapes one field for COPY's text format, in which backslash, tab, newline and CR are special. */
export function escapeCopyText(text: string): string {
  if (text.includes("\0")) throw new Error("COPY: text values cannot contain a NUL character");
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : text;
}

function scalar(value: unknown): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error("COPY: invalid Date");
    return value.toISOString();
  }
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      if (!Number.isFinite(value)) throw new Error(`COPY: cannot write the number ${value}`);
      return String(value);
    case "bigint":
      return String(value);
    case "boolean":
      return value ? "t" : "f";
    default:
      if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString("hex")}`;
      return JSON.stringify(value);
  }
}

/** A PostgreSQL array literal: {"a","b",NULL}, elements quoted so commas and braces are safe. */
export function arrayLiteral(values: readonly unknown[]): string {
  const parts = values.map((v) => {
    if (v === null || v === undefined) return "NULL";
    if (Array.isArray(v)) return arrayLiteral(v);
    return `"${scalar(v).replace(/["\\]/g, "\\$&")}"`;
  });
  return `{${parts.join(",")}}`;
}

/** One field of a COPY text line: \N for null, otherwise the escaped text representation. */
export function encodeCopyValue(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (Array.isArray(value)) return escapeCopyText(arrayLiteral(value));
  return escapeCopyText(scalar(value));
}

export function encodeCopyLine(row: Record<string, unknown>, columns: readonly string[], table = "row"): string {
  let line = "";
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c]!;
    // A misspelt key would otherwise load silently as NULL.
    if (!(column in row)) throw new Error(`COPY ${table}: row has no value for column ${column}`);
    line += (c ? "\t" : "") + encodeCopyValue(row[column]);
  }
  return line + "\n";
}

/**
 * postgres.js 3.4.9 never settles a COPY writable when the server rejects the data after the
 * last chunk (a constraint or foreign-key violation found at end of statement): the error goes
 * to the query's reject, which is a no-op once the query has resolved to the stream, so the
 * pipeline hangs and a transaction is never rolled back (porsager/postgres#1173). Taking over
 * that reject turns the swallowed error into a rejection the caller sees.
 */
function serverRejection(query: object): Promise<never> {
  const rejection = new Promise<never>((_, reject) => {
    (query as { reject: (error: unknown) => void }).reject = reject;
  });
  rejection.catch(() => {}); // the pipeline may reject first; either way the error surfaces once
  return rejection;
}

export interface CopyOptions {
  /** Rows per COPY statement; bounds the server's per-statement queue of foreign-key checks. */
  rowsPerStatement?: number;
  /** Approximate size of each chunk handed to the socket. */
  chunkBytes?: number;
}

/**
 * Writes rows into table with COPY and returns how many were written. Large inputs are split
 * into several COPY statements (all on the same connection, so inside the caller's
 * transaction if it passed one). onProgress gets the running row count after every chunk.
 */
export async function copyRows(
  sql: CopySql,
  table: string,
  columns: readonly string[],
  rows: Iterable<Record<string, unknown>>,
  onProgress?: (rows: number) => void,
  options: CopyOptions = {},
): Promise<number> {
  const rowsPerStatement = options.rowsPerStatement ?? 250_000;
  const chunkBytes = options.chunkBytes ?? 256 * 1024;
  const iterator = rows[Symbol.iterator]();
  let total = 0;
  let next = iterator.next();
  while (!next.done) {
    let inStatement = 0;
    function* chunks(): Generator<string> {
      let chunk = "";
      while (!next.done && inStatement < rowsPerStatement) {
        chunk += encodeCopyLine(next.value, columns, table);
        inStatement++;
        next = iterator.next();
        if (chunk.length >= chunkBytes) {
          yield chunk;
          chunk = "";
          onProgress?.(total + inStatement);
        }
      }
      if (chunk) yield chunk;
    }
    const query = sql`copy ${sql(table)} (${sql(columns as string[])}) from stdin`;
    const writable = await query.writable();
    await Promise.race([pipeline(Readable.from(chunks(), { objectMode: false }), writable), serverRejection(query)]);
    total += inStatement;
    onProgress?.(total);
  }
  return total;
}
