import { createHash, type Hash } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import type { ColumnType } from "@/db/queries/evidence-export-tables";

/**
 * Rows as they leave PostgreSQL's COPY, a batch at a time, as bytes: a CSV file's records (each
 * with its line end, quoted by PostgreSQL as RFC 4180 says), or a JSON file's documents.
 */
export type RowBatch = Buffer[];

export interface FileColumn {
  name: string;
  type: ColumnType;
}

/**
 * CSV (RFC 4180, comma, header row, UTF-8, "\n" line ends): the header, then every batch as it
 * came. No value is altered: an empty cell is an empty string or no value.
 */
export async function* csvChunks(columns: FileColumn[], batches: AsyncIterable<RowBatch>, onRows: (n: number) => void): AsyncGenerator<Buffer> {
  yield Buffer.from(stringify([columns.map((c) => c.name)]));
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    yield Buffer.concat(batch);
    onRows(batch.length);
  }
}

const ROW_SEPARATOR = Buffer.from(",\n");

/**
 * A JSON array with one object per line (rows arrive as PostgreSQL-built JSON objects, keys as the
 * CSV's columns, values typed): valid JSON for JSON.parse, and readable line by line.
 */
export async function* jsonChunks(batches: AsyncIterable<RowBatch>, onRows: (n: number) => void): AsyncGenerator<Buffer> {
  let first = true;
  yield Buffer.from("[\n");
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    const parts: Buffer[] = [];
    for (const row of batch) {
      if (!first) parts.push(ROW_SEPARATOR);
      parts.push(row);
      first = false;
    }
    yield Buffer.concat(parts);
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
