import { createHash, type Hash } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import type { ColumnType } from "@/db/queries/evidence-export-tables";

/** Rows as they leave the cursor: every value text or null, in column order. */
export type RowBatch = (string | null)[][];

export interface FileColumn {
  name: string;
  type: ColumnType;
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One batch as CSV, byte for byte what csv-stringify writes (a property test holds it to that).
 * csv-stringify quotes a field only when it holds a comma, a quote or a line break; a row with
 * none of those is its fields joined by commas (null as empty), so only rows that need quoting
 * go through the library's general (and much slower) per-field path.
 */
export function csvBatch(batch: RowBatch): string {
  let out = "";
  for (const row of batch) {
    let plain = true;
    for (const v of row) {
      if (v !== null && NEEDS_QUOTES.test(v)) {
        plain = false;
        break;
      }
    }
    out += plain ? `${row.map((v) => v ?? "").join(",")}\n` : stringify([row]);
  }
  return out;
}

/**
 * CSV (RFC 4180, comma, header row, UTF-8, "\n" line ends), one cursor batch at a time. No value
 * is altered: an empty cell is an empty string or no value.
 */
export async function* csvChunks(columns: FileColumn[], batches: AsyncIterable<RowBatch>, onRows: (n: number) => void): AsyncGenerator<Buffer> {
  yield Buffer.from(stringify([columns.map((c) => c.name)]));
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    yield Buffer.from(csvBatch(batch));
    onRows(batch.length);
  }
}

/**
 * A JSON array with one object per line (rows arrive as PostgreSQL-built JSON objects, keys as the
 * CSV's columns, values typed): valid JSON for JSON.parse, and readable line by line.
 */
export async function* jsonChunks(batches: AsyncIterable<RowBatch>, onRows: (n: number) => void): AsyncGenerator<Buffer> {
  let first = true;
  yield Buffer.from("[\n");
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    const lines = batch.map((row) => row[0]!).join(",\n");
    yield Buffer.from(first ? lines : `,\n${lines}`);
    first = false;
    onRows(batch.length);
  }
  yield Buffer.from(first ? "]\n" : "\n]\n");
}

/** What a file's bytes came to: its SHA-256, size and rows, filled in as it streams. */
export interface FileDigest {
  path: string;
  sha256: string;
  bytes: number;
  rows: number | null;
}

export async function* digesting(chunks: AsyncIterable<Buffer>, into: { hash: Hash; bytes: number }): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    into.hash.update(chunk);
    into.bytes += chunk.length;
    yield chunk;
  }
}

export function newDigest(): { hash: Hash; bytes: number } {
  return { hash: createHash("sha256"), bytes: 0 };
}
