import { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { checkFileBytes, textChunks } from "./decode";
import { type ErrorCollector, FatalFileError, FILE_COLUMN } from "./errors";
import type { ColumnSpec } from "./fields";
import { jsonElements } from "./json-stream";
import { type ImportFormat, type ImportKind, KINDS } from "./kinds";

export type RawValue = string | null;

export interface RawRecord {
  /** As the user sees it: CSV rows count the header as row 1; JSON rows count objects from 1. */
  row: number;
  values: Record<string, RawValue>;
}

export interface ParseState {
  /** Columns the file has: only those are written, so leaving a column out leaves it alone. */
  present: Set<string>;
}

/** "Display Name" and "display-name" both mean display_name: spreadsheets rename headers. */
export const normaliseColumn = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

const expectedList = (columns: readonly ColumnSpec[]) => columns.map((c) => (c.required ? `${c.name} (required)` : c.name)).join(", ");

function checkHeader(header: string[], kind: ImportKind, errors: ErrorCollector): boolean {
  const columns = KINDS[kind].columns;
  const known = new Set(columns.map((c) => c.name));
  const before = errors.count;
  if (header.length === 1 && /[;\t|]/.test(header[0]!)) {
    errors.add(1, FILE_COLUMN, `The header is one cell, "${header[0]}": the file seems to use ";" or tabs between columns. Accord reads comma-separated files (Excel: "CSV UTF-8 (comma delimited)").`);
    return false;
  }
  const seen = new Set<string>();
  for (const name of header) {
    if (!name) errors.add(1, FILE_COLUMN, `A column has no name in the header. Expected columns: ${expectedList(columns)}.`);
    else if (seen.has(name)) errors.add(1, name, `The column "${name}" appears twice in the header.`);
    else if (!known.has(name)) errors.add(1, name, `Unknown column "${name}" for ${kind}. Expected columns: ${expectedList(columns)}.`);
    seen.add(name);
  }
  for (const column of columns) {
    if (column.required && !seen.has(column.name)) errors.add(1, column.name, `The required column "${column.name}" is missing from the header.`);
  }
  return errors.count === before;
}

async function* csvRecords(content: Buffer, kind: ImportKind, errors: ErrorCollector, state: ParseState): AsyncGenerator<RawRecord> {
  const parser = Readable.from(textChunks(content)).pipe(parse({ relax_column_count: true, skip_empty_lines: false, max_record_size: 1_000_000 }));
  let header: string[] | null = null;
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      row++;
      if (!header) {
        header = cells.map(normaliseColumn);
        if (!checkHeader(header, kind, errors)) return;
        for (const name of header) state.present.add(name);
        continue;
      }
      // Blank lines and rows of empty cells (",,,,") are what spreadsheets leave at the end.
      if (cells.every((cell) => cell.trim() === "")) continue;
      if (cells.length !== header.length) {
        const column = cells.length < header.length ? header[cells.length]! : FILE_COLUMN;
        errors.add(row, column, `This row has ${cells.length} cells but the header has ${header.length} columns; check for a missing or extra comma, or a value with a comma that is not in quotes.`);
        continue;
      }
      const values: Record<string, RawValue> = {};
      for (let i = 0; i < header.length; i++) values[header[i]!] = cells[i]!;
      yield { row, values };
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const at = typeof error.records === "number" ? error.records + 1 : row + 1;
    const index = typeof error.column === "number" ? error.column : -1;
    throw new FatalFileError(at, header?.[index] ?? FILE_COLUMN, `The CSV cannot be read from here on: ${error.message.replace(/\s*\(if activated\)/, "")}. Check the quotes in this row.`);
  }
  if (!header) throw new FatalFileError(1, FILE_COLUMN, `The file has no header row. The first row must name the columns: ${expectedList(KINDS[kind].columns)}.`);
}

/** JSON values become the text a CSV cell would hold, so both formats share one validation. */
function jsonValue(value: unknown, column: ColumnSpec): RawValue | Error {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && column.type === "list" && value.every((v) => typeof v === "string")) return value.join(";");
  return new Error(column.type === "list" ? "must be a list of texts or one text with ; between items" : "must be a text, a number or true/false");
}

async function* jsonRecords(content: Buffer, kind: ImportKind, errors: ErrorCollector, state: ParseState): AsyncGenerator<RawRecord> {
  const columns = new Map(KINDS[kind].columns.map((c) => [c.name, c]));
  for (const { row, text } of jsonElements(textChunks(content))) {
    let object: Record<string, unknown>;
    try {
      object = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      errors.add(row, FILE_COLUMN, `This object is not valid JSON: ${(error as Error).message}`);
      continue;
    }
    const values: Record<string, RawValue> = {};
    let ok = true;
    for (const [key, value] of Object.entries(object)) {
      const name = normaliseColumn(key);
      const column = columns.get(name);
      if (!column) {
        errors.add(row, key, `Unknown column "${key}" for ${kind}. Expected columns: ${expectedList(KINDS[kind].columns)}.`);
        ok = false;
        continue;
      }
      const converted = jsonValue(value, column);
      if (converted instanceof Error) {
        errors.add(row, name, converted.message);
        ok = false;
        continue;
      }
      values[name] = converted;
      state.present.add(name);
    }
    if (ok) yield { row, values };
  }
}

/**
 * Streams the records of an import file, header problems and unreadable files included as row
 * errors. Records come out one at a time; nothing here keeps more than one row.
 */
export async function* readRecords(content: Buffer, format: ImportFormat, kind: ImportKind, errors: ErrorCollector, state: ParseState): AsyncGenerator<RawRecord> {
  try {
    checkFileBytes(content);
    yield* format === "csv" ? csvRecords(content, kind, errors, state) : jsonRecords(content, kind, errors, state);
  } catch (error) {
    if (!(error instanceof FatalFileError)) throw error;
    errors.add(error.row, error.column, error.message);
  }
}
